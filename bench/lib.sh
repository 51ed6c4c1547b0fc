# lib.sh: what the bench scripts share; source it after setting $root.

# Sets $podium to the podium executable: $PODIUM (relative to the repository
# or the current directory) or build/podium; exits 66 when there is none.
bench_find_podium() {
    podium=${PODIUM:-build/podium}
    if [[ $podium != /* ]]; then
        if [[ -e $root/$podium ]]; then
            podium=$root/$podium
        elif [[ -e $PWD/$podium ]]; then
            podium=$PWD/$podium
        fi
    fi
    if [[ ! -x $podium ]]; then
        echo "bench: no podium executable at '$podium' (build it with make, or set PODIUM)" >&2
        exit 66
    fi
}

# Makes $work, a temporary directory removed at exit after the servers whose
# pids are in server_pids are stopped; $1 names it.
bench_workdir() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/podium-$1.XXXXXX")
    server_pids=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}
bench_cleanup() {
    local pid
    for pid in "${server_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${server_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}

# bench_serve NAME DB: `podium --db DB serve` on a port the kernel picks, in
# the background; sets port_NAME and pid_NAME; exits 70 when it does not start.
bench_serve() {
    local name=$1 db=$2 i port=
    "$podium" --db "$db" serve --listen 127.0.0.1:0 >"$work/$name.out" 2>"$work/$name.log" &
    server_pids+=("$!")
    for ((i = 0; i < 100; i++)); do
        port=$(sed -n 's#^podium: serving .* on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*#\1#p' "$work/$name.out")
        [[ -n $port ]] && break
        sleep 0.1
    done
    if [[ -z $port ]]; then
        echo "bench: podium serve of $db did not start; its output:" >&2
        cat "$work/$name.out" >&2
        head -n 40 "$work/$name.log" >&2
        exit 70
    fi
    printf -v "port_$name" %s "$port"
    printf -v "pid_$name" %s "${server_pids[-1]}"
}
