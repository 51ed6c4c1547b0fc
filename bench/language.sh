#!/usr/bin/env bash
# The program page in Chinese against the same page in English, same run,
# same server (issue 14), see bench/README.md.
#
#   bench/language.sh                       # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium RUNS=3 DURATION=10s bench/language.sh
#
# wrk on loopback (-t2 -c64) against /programs/malaysia-hightech-2021 of
# examples/, asked with Accept-Language: zh and with Accept-Language: en in
# turns, on a server with the page cache and on one without it. Prints the
# medians, the ratios and the targets (a MISS does not fail the script);
# exits non-zero when a command fails, a server dies or a page is not in
# the language asked for.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
page=/programs/malaysia-hightech-2021

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium
for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (make bench installs it)" >&2; exit 69; }
done

bench_workdir language-bench

for f in "$root"/examples/*.json; do
    "$podium" --db "$work/cached.db" import --quiet "$f" >/dev/null
done
cp "$work/cached.db" "$work/uncached.db"
"$podium" --db "$work/uncached.db" set server.cache_bytes 0

bench_serve cached "$work/cached.db"
bench_serve uncached "$work/uncached.db"

# The two pages must be what they claim before they are timed.
title_zh='马来西亚高新技术发展前景'
for name in cached uncached; do
    port_var=port_$name
    url="http://127.0.0.1:${!port_var}$page"
    curl -sS -f -H 'Accept-Language: zh' "$url" | grep -q "$title_zh" ||
        { echo "bench: $url is not in Chinese for Accept-Language: zh" >&2; exit 70; }
    if curl -sS -f -H 'Accept-Language: en' "$url" | grep -q "$title_zh"; then
        echo "bench: $url is in Chinese for Accept-Language: en" >&2
        exit 70
    fi
done

# rate NAME LANG: requests per second of one wrk run
rate() {
    local port_var=port_$1
    wrk -t2 -c64 -d"$duration" -H "Accept-Language: $2" "http://127.0.0.1:${!port_var}$page" |
        sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
}
median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench: $podium, $runs runs of $duration each, alternating en and zh" >&2
for name in cached uncached; do
    port_var=port_$name
    wrk -t2 -c64 -d"$warmup" -H 'Accept-Language: zh' "http://127.0.0.1:${!port_var}$page" >/dev/null
    wrk -t2 -c64 -d"$warmup" -H 'Accept-Language: en' "http://127.0.0.1:${!port_var}$page" >/dev/null
    : >"$work/$name.en"
    : >"$work/$name.zh"
    for ((i = 0; i < runs; i++)); do
        rate "$name" en >>"$work/$name.en"
        rate "$name" zh >>"$work/$name.zh"
    done
done

printf '%-34s %12s %12s %8s %8s\n' "program page" "en req/s" "zh req/s" "zh/en" "target"
for name in cached uncached; do
    en=$(median <"$work/$name.en")
    zh=$(median <"$work/$name.zh")
    target=0.95
    [[ $name == uncached ]] && target=0.80
    ratio=$(awk -v a="$zh" -v b="$en" 'BEGIN { printf "%.2f", a / b }')
    verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r + 0 >= t + 0) ? "pass" : "MISS" }')
    printf '%-34s %12.0f %12.0f %7sx %6s %s\n' "page cache $([[ $name == cached ]] && echo on || echo off)" \
        "$en" "$zh" "$ratio" "≥$target" "$verdict"
done
for pid in "${server_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "bench: a server died" >&2; exit 70; }
done
