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
        # the server's shell may not have made the file yet: under set -e a failing sed would end the bench
        [[ -e $work/$name.out ]] &&
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

# bench_nginx DOCROOT: nginx (one worker, sendfile, open_file_cache, its
# access log off) serving DOCROOT on a port of its own, in the background,
# as the reference the benches measure podium against: a path is the file
# or its index.html, text/html unless it ends in .webp or .jpg. Sets
# nginx_port and pid_nginx; exits 70 when it does not start.
bench_nginx() {
    local docroot=$1 i
    nginx_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    mkdir -p "$work/nginx/tmp"
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_min_uses 1;
    open_file_cache_errors on;
    types { image/webp webp; image/jpeg jpg; }
    default_type text/html;
    charset utf-8;
    client_body_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port;
        root $docroot;
        location / {
            try_files \$uri \$uri/index.html =404;
        }
        location /photos/ {
            add_header Cache-Control "public, max-age=31536000, immutable";
        }
    }
}
EOF
    /usr/sbin/nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" \
        >"$work/nginx/stdout" 2>&1 &
    pid_nginx=$!
    server_pids+=("$pid_nginx")
    for ((i = 0; i < 100; i++)); do
        curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" 2>/dev/null && return 0
        kill -0 "$pid_nginx" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: nginx did not start:" >&2
    cat "$work/nginx/stdout" "$work/nginx/error.log" >&2 || true
    exit 70
}
