#!/usr/bin/env bash
# Soak of `podium serve`, see bench/README.md.
#
#   bench/soak.sh                        # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium SOAK_SECONDS=300 bench/soak.sh
#
# Serves examples/*.json from a fresh database on a free loopback port
# (PODIUM_NOW unset); bench/soak.py crawls every public address from /, then
# runs wrk -t2 -c64 for SOAK_SECONDS over all of them (and a few that must
# answer 404) while `podium import --replace` changes an example every
# IMPORT_EVERY seconds, sampling the server's RSS and open files every
# second. Prints the figures and the targets (MISS does not fail the
# script). Exits non-zero only when the server dies or the script fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
seconds=${SOAK_SECONDS:-300}
import_every=${IMPORT_EVERY:-10}
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium
[[ -x $py ]] || { echo "bench: $py is needed" >&2; exit 69; }
if [[ ! -x /usr/bin/wrk ]]; then
    echo "bench: installing the Debian package wrk" >&2
    "$root/tools/deps.sh" wrk >&2
fi
unset PODIUM_NOW

work=$(mktemp -d "${TMPDIR:-/tmp}/podium-soak.XXXXXX")
pid=
cleanup() {
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do # podium waits up to 5 s for its connections
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

echo "Podium soak"
echo "  podium    $podium ($("$podium" --version 2>/dev/null | head -n 1 || true))," \
    "libmicrohttpd $(dpkg-query -W -f='${Version}' libmicrohttpd12 2>/dev/null || echo unknown)"
echo "  server    pid $pid on 127.0.0.1:$port, $(nproc) CPUs, default threads, access log to a file"
echo "  database  examples/*.json ($("$podium" --db "$db" list | tail -n +2 | wc -l) programs)"
echo

rc=0
"$py" "$here/soak.py" --port "$port" --pid "$pid" --db "$db" --podium "$podium" \
    --log "$work/serve.log" --work "$work" --examples "$root/examples" --seconds "$seconds" \
    --import-every "$import_every" --threads "$threads" --connections "$connections" || rc=$?

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

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if [[ $status -ne 0 ]]; then
    echo "bench: podium serve exited with status $status on SIGTERM" >&2
    exit 70
fi
