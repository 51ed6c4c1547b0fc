#!/usr/bin/env bash
# Benchmark of the back office (issue 13), see bench/README.md.
#
#   bench/back_office.sh                 # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium DURATION=10s bench/back_office.sh
#
# 1. The public article page (wrk -t2 -c16 --latency) idle, then while 20
#    clients keep signing in with the right password and 20 with a wrong one
#    (login_storm.py; the failure limits raised so that every try is hashed):
#    p99 and requests/s of both, and their ratios. Targets: p99 within 2x
#    idle, throughput >= 0.7x idle.
# 2. A manager's /manage/programs/SLUG page (not cached), signed in, at 16
#    connections: requests/s and p99. Targets: >= 5,000 requests/s, p99 <= 20 ms.
# Prints the figures and the targets (a MISS does not fail the script).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
duration=${DURATION:-10s}
seconds=${duration%s}
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium
[[ -x /usr/bin/wrk ]] || "$root/tools/deps.sh" wrk

work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

db=$work/bench.db
for f in "$root"/examples/*.json; do "$podium" --db "$db" import --quiet "$f"; done
password="correct horse battery staple"
echo "$password" | "$podium" --db "$db" user add manager@example.org --name Manager --password-stdin >/dev/null
"$podium" --db "$db" role grant manager@example.org manager malaysia-hightech-2021 >/dev/null
"$podium" --db "$db" set accounts.max_failures_per_account 100000 >/dev/null
"$podium" --db "$db" set accounts.max_failures_per_address 1000000 >/dev/null

"$podium" --db "$db" serve --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
    [[ -n $port ]] && break
    sleep 0.1
done
[[ -n $port ]] || { echo "bench: podium did not start" >&2; cat "$work/serve.err" >&2; exit 1; }
base=http://127.0.0.1:$port
article=$base/programs/malaysia-hightech-2021/articles/opening-kicked-off

# wrk's figures as "REQ_PER_S P99_MS"
wrk_figures() {
    awk '/Requests\/sec/ {rps=$2}
         /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)}
                   else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
         END {printf "%s %s\n", rps, p99}'
}

curl -s -o /dev/null "$article"
wrk -t2 -c16 -d3s "$article" >/dev/null
read -r idle_rps idle_p99 < <(wrk -t2 -c16 -d"$duration" --latency "$article" | wrk_figures)

"$py" "$here/login_storm.py" "$port" "$((seconds + 4))" 20 20 manager@example.org "$password" \
    >"$work/storm.out" &
storm=$!
sleep 2
read -r storm_rps storm_p99 < <(wrk -t2 -c16 -d"$duration" --latency "$article" | wrk_figures)
wait "$storm"

# a manager's session, then their program's form page
token=$(curl -s -c "$work/jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$work/jar" -c "$work/jar" -o /dev/null --data-urlencode "csrf=$token" \
    --data-urlencode "email=manager@example.org" --data-urlencode "password=$password" "$base/login"
session=$(awk '$6 == "podium_session" {print $7}' "$work/jar")
manage=$base/manage/programs/malaysia-hightech-2021
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: podium_session=$session" "$manage")
[[ $status == 200 ]] || { echo "bench: the manager's page answered $status" >&2; exit 1; }
wrk -t2 -c16 -d3s -H "Cookie: podium_session=$session" "$manage" >/dev/null
read -r manage_rps manage_p99 < <(wrk -t2 -c16 -d"$duration" --latency -H "Cookie: podium_session=$session" \
    "$manage" | wrk_figures)

verdict() { if awk "BEGIN {exit !($1)}"; then echo pass; else echo MISS; fi; }
echo "public article page, idle:        ${idle_rps} req/s, p99 ${idle_p99} ms"
echo "public article page, login storm: ${storm_rps} req/s, p99 ${storm_p99} ms ($(cat "$work/storm.out"))"
p99_ratio=$(awk "BEGIN {printf \"%.2f\", $storm_p99 / $idle_p99}")
rps_ratio=$(awk "BEGIN {printf \"%.2f\", $storm_rps / $idle_rps}")
echo "  p99 storm/idle ${p99_ratio}x (target <= 2x): $(verdict "$p99_ratio <= 2")"
echo "  throughput storm/idle ${rps_ratio}x (target >= 0.7x): $(verdict "$rps_ratio >= 0.7")"
echo "manager's program page: ${manage_rps} req/s, p99 ${manage_p99} ms"
echo "  >= 5000 req/s: $(verdict "$manage_rps >= 5000"); p99 <= 20 ms: $(verdict "$manage_p99 <= 20")"
