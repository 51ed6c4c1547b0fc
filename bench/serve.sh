#!/usr/bin/env bash
# Web benchmark of `podium serve` against nginx serving the same bytes as
# static files, see bench/README.md.
#
#   bench/serve.sh                       # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium RUNS=3 DURATION=10s bench/serve.sh
#
# wrk on loopback (-t2 -c64 --latency) against the seed's article page and
# program page, alternating podium (examples/ only), nginx (one worker,
# sendfile, open_file_cache, access_log off; the bytes podium served, saved
# as files) and podium with 1,000 generated programs more (gen_programs.py).
# podium runs as `make run` runs it: `podium --db DB serve --listen ADDR`,
# default threads, access log on standard error (to a file here).
# Prints the medians, the ratios and the targets (a MISS does not fail the
# script); exits non-zero when a command fails or a server dies.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
runs=${RUNS:-3}
duration=${DURATION:-10s}
warmup=${WARMUP:-3s}
n_programs=${PROGRAMS:-1000}
pages=(/programs/malaysia-hightech-2021/articles/opening-kicked-off /programs/malaysia-hightech-2021)
page_names=(article program)

# ---------------------------------------------------------------- podium
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium

# ---------------------------------------------------------------- tools
# Debian packages, installed only when missing (apt-get update first).
missing=()
[[ -x /usr/bin/wrk ]] || missing+=(wrk)
[[ -x /usr/bin/h2load ]] || missing+=(nghttp2-client)
[[ -x /usr/bin/curl ]] || missing+=(curl)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if ((${#missing[@]})); then
    sudo=
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    echo "bench: installing Debian packages: ${missing[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2; then
        # nginx-light is gone from newer Debian releases: plain nginx then
        missing=("${missing[@]/nginx-light/nginx}")
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
fi
[[ -x $py ]] || { echo "bench: $py is needed" >&2; exit 69; }
nginx=/usr/sbin/nginx

# ---------------------------------------------------------------- cleanup
bench_workdir serve-bench
chmod 755 "$work" # nginx's worker runs as another user and reads the docroot

# ---------------------------------------------------------------- databases
db1=$work/examples.db
db2=$work/programs.db
for f in "$root"/examples/*.json; do
    "$podium" --db "$db1" import --quiet "$f" >/dev/null
done
"$py" "$here/gen_programs.py" --programs "$n_programs" "$work/programs.json"
cp "$db1" "$db2"
"$podium" --db "$db2" import --quiet "$work/programs.json" >/dev/null
# the examples again, with the page cache off: a 200 made each time against a 304 by ETag
db3=$work/uncached.db
cp "$db1" "$db3"
"$podium" --db "$db3" set server.cache_bytes 0
n_db1=$("$podium" --db "$db1" list | wc -l)
n_db2=$("$podium" --db "$db2" list | wc -l)

# ---------------------------------------------------------------- servers
bench_serve p1 "$db1"
bench_serve p2 "$db2"
bench_serve p3 "$db3"

# The bytes of each page as podium serves them, saved where nginx finds them
# by the same path; a page that is also a directory (the program page, whose
# articles are below it) is saved as its index.html.
docroot=$work/docroot
mkdir -p "$docroot"
for i in "${!pages[@]}"; do
    page=${pages[$i]}
    curl -sS -f -o "$work/page$i.p1" "http://127.0.0.1:$port_p1$page"
    curl -sS -f -o "$work/page$i.p2" "http://127.0.0.1:$port_p2$page"
    if ! cmp -s "$work/page$i.p1" "$work/page$i.p2"; then
        echo "bench: note: $page differs between the two databases" >&2
    fi
done
for i in "${!pages[@]}"; do
    page=${pages[$i]}
    file=$docroot$page
    for other in "${pages[@]}"; do
        if [[ $other == "$page"/* ]]; then
            file=$docroot$page/index.html
        fi
    done
    mkdir -p "$(dirname "$file")"
    cp "$work/page$i.p1" "$file"
done
chmod -R a+rX "$docroot"

bench_nginx "$docroot"
nginx_version=$("$nginx" -v 2>&1 | sed 's/^nginx version: //')

# Same body and Content-Type from nginx as from podium
for i in "${!pages[@]}"; do
    page=${pages[$i]}
    curl -sS -f -D "$work/page$i.nh" -o "$work/page$i.n" "http://127.0.0.1:$nginx_port$page"
    curl -sS -f -D "$work/page$i.ph" -o /dev/null "http://127.0.0.1:$port_p1$page"
    if ! cmp -s "$work/page$i.n" "$work/page$i.p1"; then
        echo "bench: nginx does not serve the bytes podium served for $page" >&2
        exit 70
    fi
    ct_n=$(grep -i '^content-type:' "$work/page$i.nh" | tr -d '\r' | cut -d' ' -f2-)
    ct_p=$(grep -i '^content-type:' "$work/page$i.ph" | tr -d '\r' | cut -d' ' -f2-)
    if [[ $ct_n != "$ct_p" ]]; then
        echo "bench: Content-Type differs for $page: podium '$ct_p', nginx '$ct_n'" >&2
        exit 70
    fi
done

# ---------------------------------------------------------------- runs
problems=()
check_alive() {
    local name
    for name in p1 p2 p3 nginx; do
        local pid_var=pid_$name
        if ! kill -0 "${!pid_var}" 2>/dev/null; then
            local rc=0
            wait "${!pid_var}" || rc=$?
            echo "bench: server $name (pid ${!pid_var}) died (exit status $rc) during: $1" >&2
            [[ $name == nginx ]] || { echo "its last log lines:" >&2; tail -n 20 "$work/$name.log" >&2; }
            exit 70
        fi
    done
}

# CPU time in clock ticks: of the whole machine (busy), of our servers, of
# the children this shell has waited for (wrk). What the machine spent
# beyond them during a run is other load, which makes the figures noisy.
nginx_worker=$(pgrep -P "$pid_nginx" | head -n 1 || true)
hz=$(getconf CLK_TCK)
# user nice system irq softirq steal (a task's system time includes the
# softirq ticks it was charged: the loopback traffic it caused)
cpu_busy() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# sets ours: CPU ticks of our servers plus the children this shell reaped
# (`times` must run in this shell, not in a $(...) subshell)
ours=0
cpu_ours() {
    local t=0 pid c
    for pid in "$pid_p1" "$pid_p2" "$pid_p3" "$pid_nginx" $nginx_worker; do
        c=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || c=0
        t=$((t + ${c:-0}))
    done
    times >"$work/times" # second line: the children's user and system time (0m1.234s)
    c=$(sed -n 2p "$work/times" | awk -v hz="$hz" '{
        n = 0
        for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += (a[1] * 60 + a[2]) * hz }
        printf "%d", n }')
    ours=$((t + c))
}

# bench SERVER PAGE_INDEX RUN DURATION: one wrk run; its output in $work/wrk.SERVER.PAGE.RUN
# and the other load during it (ticks of other processes, ticks available) in .load
bench() {
    local server=$1 i=$2 run=$3 d=$4 port header=()
    [[ -n ${5:-} ]] && header=(-H "$5")
    case $server in
    nginx) port=$nginx_port ;;
    *) local v=port_$server; port=${!v} ;;
    esac
    local out=$work/wrk.$server.$i.$run
    local busy0 ours0 t0 busy1 ours1 t1
    cpu_ours
    busy0=$(cpu_busy) ours0=$ours t0=$(date +%s%N)
    wrk -t2 -c64 -d"$d" --latency "${header[@]}" "http://127.0.0.1:$port${pages[$i]}" >"$out" 2>&1 || {
        echo "bench: wrk failed against $server ${pages[$i]}:" >&2
        cat "$out" >&2
        exit 70
    }
    cpu_ours
    busy1=$(cpu_busy) ours1=$ours t1=$(date +%s%N)
    echo "$(((busy1 - busy0) - (ours1 - ours0))) $(((t1 - t0) * hz * $(nproc) / 1000000000))" >"$out.load"
    check_alive "wrk $server ${pages[$i]} run $run"
    # anything but clean 2xx answers is a problem to report
    if grep -qE 'Non-2xx or 3xx responses|Socket errors' "$out"; then
        problems+=("$server ${pages[$i]} run $run: $(grep -E 'Non-2xx or 3xx responses|Socket errors' "$out" | sed 's/^ *//' | paste -sd';' -)")
    fi
}

# what other processes take of the machine before the runs, over 2 s
busy0=$(cpu_busy)
sleep 2
background=$(($(cpu_busy) - busy0))
background=$((background * 100 / (2 * hz * $(nproc))))

started=$(date +%s)
echo "bench: warming up ($warmup per server and page)" >&2
for i in "${!pages[@]}"; do
    for server in p1 nginx p2; do
        bench "$server" "$i" warm "$warmup"
    done
done
for ((run = 1; run <= runs; run++)); do
    for i in "${!pages[@]}"; do
        for server in p1 nginx p2; do
            echo "bench: run $run/$runs, $server ${pages[$i]}" >&2
            bench "$server" "$i" "$run" "$duration"
        done
    done
done
# the program page with the page cache off: made for each request, against a 304 by its ETag
program=1
etag=$(curl -sS -D - -o /dev/null "http://127.0.0.1:$port_p3${pages[$program]}" |
    sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')
[[ -n $etag ]] || { echo "bench: the program page has no ETag" >&2; exit 70; }
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$port_p3${pages[$program]}")
[[ $code == 304 ]] || { echo "bench: If-None-Match $etag gave $code, not 304" >&2; exit 70; }
# h2load, not wrk: wrk's parser waits for a 304's body when it has a Content-Length, which
# RFC 9110 lets a 304 carry (podium sends the length of the 200)
h2() { # h2load ARGS...: its requests/s, for the same number of connections as wrk
    h2load --h1 -t2 -c64 -D "${duration%s}" "$@" 2>&1 |
        sed -n 's/^finished in .*, \([0-9.]*\) req\/s,.*/\1/p'
}
h2 -H "If-None-Match: $etag" "http://127.0.0.1:$port_p3${pages[$program]}" >/dev/null
for ((run = 1; run <= runs; run++)); do
    echo "bench: run $run/$runs, page cache off, ${pages[$program]}: 200, then 304" >&2
    h2 "http://127.0.0.1:$port_p3${pages[$program]}" >"$work/h2.200.$run"
    h2 -H "If-None-Match: $etag" "http://127.0.0.1:$port_p3${pages[$program]}" >"$work/h2.304.$run"
    check_alive "h2load page cache off run $run"
done
elapsed=$(($(date +%s) - started))

# peak RSS, read while the servers still run
hwm() { awk '$1 == "VmHWM:" {print $2}' "/proc/$1/status"; }
rss_p1=$(hwm "$pid_p1")
rss_p2=$(hwm "$pid_p2")
rss_nginx=$([[ -n $nginx_worker ]] && hwm "$nginx_worker" || echo 0)
threads_p1=$(awk '$1 == "Threads:" {print $2}' "/proc/$pid_p1/status")

# stop podium to count its access log (the last lines are written at exit)
for name in p1 p2 p3; do
    v=pid_$name
    kill -TERM "${!v}"
    rc=0
    wait "${!v}" || rc=$?
    [[ $rc -eq 0 ]] || problems+=("podium $name exited with status $rc on SIGTERM")
done

# ---------------------------------------------------------------- report
export RUNS_N=$runs WORK=$work RSS_P1=$rss_p1 RSS_P2=$rss_p2 RSS_NGINX=$rss_nginx \
    N_DB1=$n_db1 N_DB2=$n_db2 N_PROGRAMS=$n_programs NGINX_VERSION=$nginx_version \
    THREADS_P1=$threads_p1 BACKGROUND=$background DURATION=$duration ELAPSED=$elapsed
PAGES=$(printf '%s\n' "${pages[@]}") NAMES=$(printf '%s\n' "${page_names[@]}") \
    "$py" - <<'EOF'
import os, re, statistics

work = os.environ["WORK"]
runs = int(os.environ["RUNS_N"])
pages = os.environ["PAGES"].split("\n")
names = os.environ["NAMES"].split("\n")
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    p99 = float(m.group(1)) * UNIT[m.group(2)]
    reqs = int(re.search(r"^\s+(\d+) requests in", text, re.M).group(1))
    return rps, p99, reqs


def load(path):
    other, avail = (int(x) for x in open(path + ".load").read().split())
    return 100.0 * max(other, 0) / max(avail, 1)


def med(xs):
    return statistics.median(xs)


res = {}
total_reqs = {"p1": 0, "p2": 0}
for server in ("p1", "nginx", "p2"):
    for i in range(len(pages)):
        rows = [parse("%s/wrk.%s.%d.%d" % (work, server, i, r)) for r in range(1, runs + 1)]
        res[server, i] = rows
        if server in total_reqs:
            total_reqs[server] += parse("%s/wrk.%s.%d.warm" % (work, server, i))[2]
            total_reqs[server] += sum(r[2] for r in rows)


def mark(ok):
    return "pass" if ok else "MISS"


print()
print("podium serve vs nginx %s, wrk -t2 -c64 -d%s --latency on loopback, "
      "median of %d runs, alternating" % (os.environ["NGINX_VERSION"], os.environ["DURATION"], runs))
print("machine: %d CPUs, %s%% busy with other processes just before the runs; "
      % (os.cpu_count(), os.environ["BACKGROUND"]), end="")
print("podium: default threads (%s threads in the process), access log on (to a file); "
      "databases: %s programs (examples/), %s programs (+%s generated)"
      % (os.environ["THREADS_P1"], os.environ["N_DB1"], os.environ["N_DB2"],
         os.environ["N_PROGRAMS"]))
print()
hdr = "%-8s %12s %12s %7s %11s %11s %16s %8s" % (
    "page", "podium req/s", "nginx req/s", "ratio", "podium p99", "nginx p99",
    "podium+%s req/s" % os.environ["N_PROGRAMS"], "vs own")
print(hdr)
print("-" * len(hdr))
verdicts = []
for i, name in enumerate(names):
    p = med([r[0] for r in res["p1", i]])
    n = med([r[0] for r in res["nginx", i]])
    q = med([r[0] for r in res["p2", i]])
    pl = med([r[1] for r in res["p1", i]])
    nl = med([r[1] for r in res["nginx", i]])
    ql = med([r[1] for r in res["p2", i]])
    print("%-8s %12.0f %12.0f %6.2fx %9.2fms %9.2fms %16.0f %7.2fx" % (
        name, p, n, p / n, pl, nl, q, q / p))
    verdicts.append(("%s: podium / nginx req/s" % name, "%.2fx" % (p / n), ">= 0.80x", p / n >= 0.8))
    verdicts.append(("%s: podium p99" % name, "%.2f ms" % pl, "<= 10 ms", pl <= 10.0))
    verdicts.append(("%s: p99 with %s programs" % (name, os.environ["N_PROGRAMS"]),
                     "%.2f ms" % ql, "<= 10 ms", ql <= 10.0))
    verdicts.append(("%s: req/s with %s programs / examples only" % (name, os.environ["N_PROGRAMS"]),
                     "%.2fx" % (q / p), ">= 0.90x", q / p >= 0.9))
print()
print("each run in order (req/s, p99 ms, % of the machine's CPU taken by other processes):")
worst = 0.0
for i, name in enumerate(names):
    for server, label in (("p1", "podium"), ("nginx", "nginx"),
                          ("p2", "podium+" + os.environ["N_PROGRAMS"])):
        cells = []
        for r in range(runs):
            other = load("%s/wrk.%s.%d.%d" % (work, server, i, r + 1))
            worst = max(worst, other)
            rps, p99, _ = res[server, i][r]
            cells.append("%7.0f %7.2f %3.0f%%" % (rps, p99, other))
        print("  %-8s %-12s %s" % (name, label, "   ".join(cells)))
if worst > 5:
    print("  WARNING: other processes took up to %.0f%% of the machine during a run: "
          "the figures are noisy, run again on a quiet machine" % worst)
rss1 = int(os.environ["RSS_P1"]) / 1024
rss2 = int(os.environ["RSS_P2"]) / 1024
print()
print("peak RSS (VmHWM): podium %.1f MB, podium with %s programs %.1f MB, nginx worker %.1f MB"
      % (rss1, os.environ["N_PROGRAMS"], rss2, int(os.environ["RSS_NGINX"]) / 1024))
verdicts.append(("podium peak RSS", "%.1f MB" % rss1, "<= 30 MB", rss1 <= 30))

# the page cache off: the program page made each time, against a 304 answered by its ETag
def h2(kind):
    return [float(open("%s/h2.%s.%d" % (work, kind, r)).read() or 0) for r in range(1, runs + 1)]
m, e = med(h2("200")), med(h2("304"))
print("page cache off, program page (h2load -t2 -c64): 200 made each time %.0f req/s, "
      "304 by ETag %.0f req/s: %.2fx" % (m, e, e / max(m, 1)))
verdicts.append(("cache off: program page 304 / 200 req/s", "%.2fx" % (e / max(m, 1)),
                 ">= 1.50x", e / max(m, 1) >= 1.5))
verdicts.append(("podium peak RSS with %s programs" % os.environ["N_PROGRAMS"], "%.1f MB" % rss2,
                 "<= 30 MB", rss2 <= 30))

# the access log: one line per request, all of them 200
for server in ("p1", "p2"):
    lines = open("%s/%s.log" % (work, server), errors="replace").read().splitlines()
    log = [l for l in lines if re.match(r"^\d{4}-\d\d-\d\dT", l)]
    other = len(lines) - len(log)
    non200 = sum(1 for l in log if l.split(" ")[4] != "200")
    incomplete = sum(1 for l in log if l.endswith("(not completed)"))
    curl = 2 * len(pages) if server == "p1" else len(pages)
    in_flight = len(log) - total_reqs[server] - curl  # answered after wrk stopped reading
    most = 64 * (runs + 1) * len(pages)
    label = "podium" if server == "p1" else "podium+" + os.environ["N_PROGRAMS"]
    print("access log %s: %d lines = %d responses wrk counted + %d curl + %d in flight at "
          "wrk's end (at most %d); %d not 200, %d not completed, %d other lines" % (
              label, len(log), total_reqs[server], curl, in_flight, most, non200, incomplete,
              other))
    if not 0 <= in_flight <= most or non200 or incomplete or other:
        print("  PROBLEM: the access log does not match the requests made")
print()
w = max(len(v[0]) for v in verdicts)
for what, value, target, ok in verdicts:
    print("%-*s %10s  target %-9s %s" % (w, what, value, target, mark(ok)))
print()
print("wall time of the wrk runs: %s s" % os.environ["ELAPSED"])
EOF

if ((${#problems[@]})); then
    echo
    echo "problems seen under load:"
    printf '  %s\n' "${problems[@]}"
fi
