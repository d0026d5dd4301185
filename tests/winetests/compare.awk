# compare.awk: compares the parsed results (parse.awk records) of Wine's test programs run with
# openws2 ("ours") and with Wine's builtin ws2_32.
# Usage: awk -v outdir=DIR -v programs="sock protocol afd" [-v exceptions=FILE] [-v open=FILE]
#            [-v flaky=BASELINE]
#            -f compare.awk
#            BUILTIN OURS
# EXCEPTIONS lines are "test:line reason" (e.g. "sock:1234 needs ..."), # starts a comment.
# OPEN has the same format: differences of behaviour not fixed yet (bugs of openws2, listed so that
# a new difference still fails the run); they are marked " [open: reason]" and counted apart.
# Writes into DIR:
#   diff-ours-only.txt     check lines that fail with ours and not with the builtin ("file:line: msg"),
#                          each with " [N times]" when it failed more than once, " [excepted: reason]"
#                          when the exceptions file names its test:line, and " [builtin: other message]"
#                          when the builtin fails the same file:line with a different message
#   open-fixed.txt         entries of the OPEN list whose test:line no longer fails only with ours
#                          (to be removed from the list)
#   diff-builtin-only.txt  the reverse: fail with the builtin, not with ours
#   todo-fixed-ours.txt    checks in a todo_wine block that pass with ours ("Test succeeded inside
#                          todo block"), i.e. where ours behaves as Windows and Wine does not
#   uncertain.txt          not counted: todo failures on one side only whose line the other side's
#                          wine/test.h stopped printing after 42 occurrences (not comparable), and
#                          with -v flaky=BASELINE (a live builtin run) lines failing with ours that
#                          this builtin run passed but a baseline run of the builtin failed
#   summary.txt            the table (also printed): per program checks executed / failures of
#                          each side, and the lines failing on one side only, as distinct file:line
#                          locations / distinct file:line: message lines, and "win-failing b/o": the
#                          distinct failing checks (file:line: message, failed or failed inside
#                          todo_wine) of the builtin / of ours, i.e. the checks that fail as Windows
#                          counts them (todo_wine means nothing there), "fewer" when ours has fewer
# A crash or timeout of a program with ours and not with the builtin counts as a line failing only
# with ours (and the reverse). Exit status: 1 if a line fails only with ours and is not excepted.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later

function prog_of(key,    p) {           # "sock.c:12: msg" -> sock; "crash sock: x" -> sock
    p = key
    if (p ~ /^crash /) { sub(/^crash /, "", p); sub(/:.*/, "", p); return p }
    sub(/\.c:.*/, "", p)
    return p
}
function line_of(key,    l) {           # "sock.c:12: msg" -> 12; crash -> 0
    if (key ~ /^crash /) return 0
    l = key; sub(/^[^:]*:/, "", l); sub(/:.*/, "", l)
    return l + 0
}
function loc_of(key,    l) { l = key; if (key ~ /^crash /) return key; sub(/^[^:]*:[0-9]*/, "", l); return substr(key, 1, length(key) - length(l)) }
# sortable form: program, line number, key
function sortkey(key) { return sprintf("%s\t%09d\t%s", prog_of(key), line_of(key), key) }

BEGIN {
    # flaky: a baseline file; its failing checks count as "may fail with the builtin" too
    if (flaky != "")
        while ((getline l < flaky) > 0)
            if (l ~ /^(fail|todofail) /) { sub(/^[^ ]+ /, "", l); bflaky[l] = 1 }
    if (exceptions != "")
        while ((getline l < exceptions) > 0) {
            if (l ~ /^[ \t]*(#|$)/) continue
            split(l, w, /[ \t]+/); r = l; sub(/^[^ \t]+[ \t]+/, "", r); exc[w[1]] = r
        }
    if (open != "")
        while ((getline l < open) > 0) {
            if (l ~ /^[ \t]*(#|$)/) continue
            split(l, w, /[ \t]+/); r = l; sub(/^[^ \t]+[ \t]+/, "", r); opn[w[1]] = r
        }
}
{
    side = (FILENAME == ARGV[1]) ? "b" : "o"
    rec = $1; rest = $0; sub(/^[^ ]+ /, "", rest)
    if (rec == "fail" || rec == "todofail") {
        if (rec == "fail") nfail[side, prog_of(rest)]++
        cnt[side, rest]++; if (cnt[side, rest] == 1) wfail[side, prog_of(rest)]++; if (rec == "todofail") todof[side, rest] = 1; if (cnt[side, rest] == 1) keys[rest] = 1; locfail[side, loc_of(rest)] = 1; if (side == "b" && !(loc_of(rest) in bmsg)) bmsg[loc_of(rest)] = rest }
    else if (rec == "muted") muted[side, $2] = 1
    else if (rec == "crash") { k = "crash " rest; cnt[side, k]++; keys[k] = 1 }
    else if (rec == "todopass") { nfail[side, prog_of(rest)]++; if (side == "o") { tp[rest]++ } else tpb[rest]++ }
    else if (rec == "summary") {
        p = $2
        for (i = 3; i <= NF; i++) { split($i, kv, "="); sum[side, p, kv[1]] = kv[2] }
        seen[side, p] = 1
    }
}
END {
    n = split(programs, progs, " ")
    for (k in keys) {
        p = prog_of(k)
        if (cnt["o", k] && !cnt["b", k] && todof["o", k] && muted["b", loc_of(k)]) {
            ulist[sortkey(k)] = k " [ours: todo failure; builtin's output of this line was silenced]"; continue
        }
        if (cnt["b", k] && !cnt["o", k] && todof["b", k] && muted["o", loc_of(k)]) {
            ulist[sortkey(k)] = k " [builtin: todo failure; ours' output of this line was silenced]"; continue
        }
        if (cnt["o", k] && !cnt["b", k] && (k in bflaky)) {
            ulist[sortkey(k)] = k " [not in this builtin run, but in the builtin baseline: flaky]"; continue
        }
        if (cnt["o", k] && !cnt["b", k]) {
            ex = op = ""
            if (k !~ /^crash /) { ek = p ":" line_of(k); if (ek in exc) ex = exc[ek]; else if (ek in opn) { op = opn[ek]; opseen[ek] = 1 } }
            s = k (cnt["o", k] > 1 ? " [" cnt["o", k] " times]" : "")
            if (ex != "") s = s " [excepted: " ex "]"
            else if (op != "") s = s " [open: " op "]"
            else if (k !~ /^crash / && locfail["b", loc_of(k)]) s = s " [builtin: " substr(bmsg[loc_of(k)], length(loc_of(k)) + 3) "]"
            olist[sortkey(k)] = s
            if (ex != "") oexc[p]++
            else if (op != "") { if (!((p, loc_of(k)) in opl)) { opl[p, loc_of(k)] = 1; oopen[p]++ } }
            else { oonly[p]++; bad = 1; if (!((p, loc_of(k)) in ol)) { ol[p, loc_of(k)] = 1; oonlyl[p]++ } }
        }
        if (cnt["b", k] && !cnt["o", k]) {
            blist[sortkey(k)] = k (cnt["b", k] > 1 ? " [" cnt["b", k] " times]" : "")
            bonly[p]++; if (!((p, loc_of(k)) in bl)) { bl[p, loc_of(k)] = 1; bonlyl[p]++ }
        }
    }
    for (k in tp) if (!(k in tpb)) { tlist[sortkey(k)] = k; tfix[prog_of(k)]++ }
    write_sorted(olist, outdir "/diff-ours-only.txt")
    write_sorted(blist, outdir "/diff-builtin-only.txt")
    write_sorted(tlist, outdir "/todo-fixed-ours.txt")
    write_sorted(ulist, outdir "/uncertain.txt")
    for (k in opn) if (!(k in opseen)) { split(k, w, ":"); flist[sprintf("%s\t%09d", w[1], w[2])] = k " " opn[k] }
    write_sorted(flist, outdir "/open-fixed.txt")

    f = outdir "/summary.txt"
    hdr = sprintf("%-9s %22s %22s %16s %9s %6s %16s %10s %18s", "program", "builtin checks/failed", "ours checks/failed", "ours-only loc/msg", "excepted", "open", "builtin-only l/m", "todo-fixed", "win-failing b/o")
    print hdr; print hdr > f
    for (i = 1; i <= n; i++) {
        p = progs[i]
        wf = (wfail["b", p] + 0) "/" (wfail["o", p] + 0) (wfail["o", p] + 0 < wfail["b", p] + 0 ? " fewer" : " NOT-fewer")
        line = sprintf("%-9s %22s %22s %16s %9d %6d %16s %10d %18s", p, cell("b", p), cell("o", p), (oonlyl[p] + 0) "/" (oonly[p] + 0), oexc[p], oopen[p], (bonlyl[p] + 0) "/" (bonly[p] + 0), tfix[p], wf)
        print line; print line > f
    }
    close(f)
    exit bad ? 1 : 0
}
function cell(side, p,    e, x, c) {
    if (!seen[side, p]) return "not run"
    e = sum[side, p, "executed"]; x = sum[side, p, "failures"]
    c = (cnt[side, "crash " p ": unhandled exception"] ? " CRASH" : "") (cnt[side, "crash " p ": timeout (killed)"] ? " TIMEOUT" : "") (cnt[side, "crash " p ": no summary line"] ? " NOSUM" : "")
    if (e == "?") x = nfail[side, p] + 0
    return e "/" x c
}
function write_sorted(arr, file,    k, m, i, idx) {
    m = 0
    for (k in arr) idx[++m] = k
    # insertion sort (awk has no portable sort); the lists are short
    for (i = 2; i <= m; i++) { k = idx[i]; for (j = i - 1; j >= 1 && idx[j] > k; j--) idx[j + 1] = idx[j]; idx[j + 1] = k }
    printf "" > file
    for (i = 1; i <= m; i++) print arr[idx[i]] > file
    close(file)
}
