# locations.awk: groups a diff list (compare.awk output, "file:line: message" a line) by location and
# names the test function of each from Wine's test source: prints "file:line  function  N  first
# message" in the list's order.
# Usage: awk -v srcdir=WINE/dlls/ws2_32/tests -f locations.awk LIST
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later

# func_at(FILE, LINE): the last function definition (a line starting with a letter, holding "(",
# not ending with ";") at or above LINE in srcdir/FILE.
function func_at(file, line,    path, l, n, cur, name) {
    if (!(file in loaded)) {
        loaded[file] = 1; path = srcdir "/" file; n = 0; cur = "?"
        while ((getline l < path) > 0) {
            n++
            if (l ~ /^[A-Za-z].*[A-Za-z_0-9] *\(/ && l !~ /;[ \t]*$/ && l !~ /^(typedef|struct|enum|union|#)/) {
                name = l; sub(/ *\(.*/, "", name); sub(/.*[ *]/, "", name); cur = name
            }
            fn[file, n] = cur
        }
        close(path)
    }
    return ((file, line) in fn) ? fn[file, line] : "?"
}
{
    if ($0 ~ /^crash /) { loc = $0; f = "" } else { loc = $1; sub(/:$/, "", loc) }
    cnt[loc]++
    if (!(loc in first)) {
        first[loc] = $0; order[++k] = loc
        if ($0 !~ /^crash /) { split(loc, p, ":"); where[loc] = func_at(p[1], p[2] + 0) } else where[loc] = "-"
    }
}
END {
    for (i = 1; i <= k; i++) {
        m = first[order[i]]; if (m !~ /^crash /) sub(/^[^ ]+ /, "", m)
        printf "%s  %s  %d  %s\n", order[i], where[order[i]], cnt[order[i]], m
    }
}
