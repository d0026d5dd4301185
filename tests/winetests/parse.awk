# parse.awk: reads the output of one Wine test program (wine/test.h format) and prints its result
# records, one a line:
#   summary PROG executed=N todo=T flaky=F failures=X skipped=S
#   fail FILE:LINE: MESSAGE       a check that failed: "Test failed" or "Test marked flaky"
#   todofail FILE:LINE: MESSAGE   a check that failed inside a todo block ("Test marked todo"; only
#                                 printed with WINETEST_DEBUG >= 1), an expected failure on Wine
#   todopass FILE:LINE: MESSAGE   "Test succeeded inside todo block": the check passed
#   crash PROG: unhandled exception   Wine reported an unhandled exception; then also
#   crashinfo PROG: WINE'S LINE   its first report line (for people; never compared)
# Usage: awk -v prog=sock [-v status=STATUS] -f parse.awk LOG, where STATUS is "timeout" when the run
# was killed by the timeout. A log without a summary line gets "crash PROG: no summary line".
#   muted FILE:LINE               wine/test.h stopped printing this line's todo results ("Line has
#                                 been silenced after 42 occurrences")
# Messages are normalised so that the same failure compares equal between two runs: a token of
# exactly 16 hexadecimal digits (a %p pointer or handle of a 64-bit process), unless all zeros
# (NULL), becomes <ptr>; in "NAME (HEX): " (sock.c's client and server threads name themselves with
# their thread id) HEX becomes <tid>; trailing blanks and a trailing "." are dropped. Nothing else
# is changed.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later

function norm(msg,    out, tok, pre, hex16) {
    hex16 = "[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]"
    hex16 = hex16 hex16
    out = ""
    # a token of exactly 16 hexadecimal digits (optionally 0x-prefixed), not part of a longer word
    while (match(msg, "(^|[^0-9A-Za-z])(0x)?" hex16 "([^0-9A-Za-z]|$)")) {
        tok = substr(msg, RSTART, RLENGTH)
        pre = substr(msg, 1, RSTART - 1)
        msg = substr(msg, RSTART + RLENGTH)
        if (tok ~ /[^0-9A-Za-z]$/) { msg = substr(tok, length(tok)) msg; tok = substr(tok, 1, length(tok) - 1) }
        if (tok ~ /^[^0-9A-Za-z]/) { pre = pre substr(tok, 1, 1); tok = substr(tok, 2) }
        out = out pre (tok ~ /^(0x)?0+$/ ? tok : "<ptr>")
    }
    msg = out msg
    # "NAME (ID): ": sock.c's client/server threads put their thread id there
    out = ""
    while (match(msg, /[A-Za-z_][A-Za-z_0-9]* \([0-9A-Fa-f]+\): /)) {
        tok = substr(msg, RSTART, RLENGTH)
        sub(/\([0-9A-Fa-f]+\)/, "(<tid>)", tok)
        out = out substr(msg, 1, RSTART - 1) tok
        msg = substr(msg, RSTART + RLENGTH)
    }
    msg = out msg
    sub(/[ \t.]+$/, "", msg)
    return msg
}

BEGIN { summary = ""; crashed = "" }
{ sub(/\r$/, "") }
# FILE:LINE:[ELAPSED] KIND: MESSAGE (ELAPSED is empty unless WINETEST_TIME is set)
match($0, /^[A-Za-z0-9_]+\.c:[0-9]+:[0-9.]* /) {
    loc = substr($0, 1, RLENGTH - 1)
    rest = substr($0, RLENGTH + 1)
    sub(/:[0-9.]*$/, "", loc)
    if (rest ~ /^Test failed: /)                       { sub(/^Test failed: /, "", rest); print "fail " loc ": " norm(rest) }
    else if (rest ~ /^Test marked todo: /)             { sub(/^Test marked todo: /, "", rest); print "todofail " loc ": " norm(rest) }
    else if (rest ~ /^Test marked flaky: /)            { sub(/^Test marked flaky: /, "", rest); print "fail " loc ": " norm(rest) }
    else if (rest ~ /^Line has been silenced after /) print "muted " loc
    else if (rest ~ /^Test succeeded inside (flaky )?todo block: /) {
        sub(/^Test succeeded inside (flaky )?todo block: /, "", rest); print "todopass " loc ": " norm(rest) }
    next
}
/^[0-9a-f]+:[A-Za-z0-9_]+:[0-9.]* [0-9]+ tests executed / {
    s = $0
    sub(/^[0-9a-f]+:[A-Za-z0-9_]+:[0-9.]* /, "", s)
    n = split(s, w, /[^0-9]+/)
    # s is "N tests executed (T marked as todo, F as flaky, X failures), S skipped."
    summary = "summary " prog " executed=" w[1] " todo=" w[2] " flaky=" w[3] " failures=" w[4] " skipped=" w[5]
    next
}
/^wine: Unhandled / || /^Unhandled exception: / || / unhandled exception [0-9a-f]+ at / {
    if (crashed == "") { d = $0; sub(/ starting debugger.*/, "", d); crashed = d }
}
END {
    if (summary != "") print summary
    else print "summary " prog " executed=? todo=? flaky=? failures=? skipped=?"
    if (status == "timeout") print "crash " prog ": timeout (killed)"
    else if (crashed != "") { print "crash " prog ": unhandled exception"; print "crashinfo " prog ": " crashed }
    else if (summary == "") print "crash " prog ": no summary line"
}
