#!/usr/bin/env bash
# Hostile load against `podium serve`, see bench/README.md.
#
#   bench/hostile.sh                     # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium SECONDS_PER_PHASE=20 bench/hostile.sh
#   PHASES=baseline,slow-loris bench/hostile.sh
#
# Serves examples/*.json from a fresh database on a free loopback port
# (PODIUM_NOW unset), then bench/hostile.py runs the phases: baseline,
# slow-loris (2,000 connections from 127.0.0.2..127.0.0.21 sending a head a
# byte at a time), slow-body, flood, oversized; a normal client from
# 127.0.0.1 measures its latency during each. Prints one line per phase and
# the targets (MISS does not fail the script). Exits non-zero only when the
# server dies or the script itself fails. Loopback only.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
seconds=${SECONDS_PER_PHASE:-20}
phases=${PHASES:-baseline,slow-loris,slow-body,flood,oversized}
slow_conns=${SLOW_CONNS:-2000}
slow_interval=${SLOW_INTERVAL:-5}
flood_conns=${FLOOD_CONNS:-400}

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium
[[ -x $py ]] || { echo "bench: $py is needed" >&2; exit 69; }
unset PODIUM_NOW

# The attackers need one descriptor per connection, and so does the server:
# both get the hard limit (the server is started from this shell).
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d "${TMPDIR:-/tmp}/podium-hostile.XXXXXX")
pid=
cleanup() {
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        # podium waits up to 5 s for its connections; do not wait forever
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$work/examples.db
for f in "$root"/examples/*.json; do
    "$podium" --db "$db" import "$f" >/dev/null
done

"$podium" --db "$db" serve --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
port=
for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's#^podium: serving .* on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*#\1#p' "$work/serve.out")
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z $port ]]; then
    echo "bench: podium serve did not start; its output:" >&2
    cat "$work/serve.out" >&2
    head -n 40 "$work/serve.log" >&2
    exit 70
fi

mhd=$(dpkg-query -W -f='${Version}' libmicrohttpd12 2>/dev/null || echo unknown)
echo "Podium hostile load"
echo "  podium    $podium ($("$podium" --version 2>/dev/null | head -n 1 || true)), libmicrohttpd $mhd"
echo "  server    pid $pid on 127.0.0.1:$port, $(nproc) CPUs, default threads, access log to a file;" \
    "open files limit $(awk '/^Max open files/ {print $4}' "/proc/$pid/limits")"
echo "  settings  (the defaults, in a fresh database)" \
    "$("$podium" --db "$db" help settings 2>/dev/null |
        sed -n 's/^ *\(server\.[a-z_]*\) *(integer, default \([0-9]*\).*/\1 \2/p' | paste -sd, - | sed 's/,/, /g' || true)"
echo

rc=0
"$py" "$here/hostile.py" run --port "$port" --pid "$pid" --seconds "$seconds" --phases "$phases" \
    --slow-conns "$slow_conns" --slow-interval "$slow_interval" --flood-conns "$flood_conns" || rc=$?

[[ $rc -ne 130 ]] || exit 130 # Ctrl-C: the server got it too
if ! kill -0 "$pid" 2>/dev/null || [[ $rc -eq 3 ]]; then
    status=0
    wait "$pid" || status=$?
    pid=
    echo "bench: podium serve died (exit status $status); the last lines of its log:" >&2
    tail -n 20 "$work/serve.log" >&2
    exit 70
fi
[[ $rc -eq 0 ]] || exit "$rc"

# the access log: what the server logged of the attacks, by status
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
echo
echo "access log: $(grep -cE '^[0-9]{4}-' "$work/serve.log" || true) requests logged;" \
    "by status: $(awk '/^[0-9][0-9][0-9][0-9]-/ {n[$5 ($NF == "completed)" ? " (not completed)" : "")]++}
        END {for (s in n) printf "%s: %d, ", s, n[s]}' "$work/serve.log" | sed 's/, $//');" \
    "other lines: $(grep -cvE '^[0-9]{4}-' "$work/serve.log" || true)"
grep -vE '^[0-9]{4}-' "$work/serve.log" | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/  /' || true
if [[ $status -ne 0 ]]; then
    echo "bench: podium serve exited with status $status on SIGTERM" >&2
    exit 70
fi
