#!/usr/bin/env bash
# PostgreSQL against SQLite, same run, same machine (bench/README.md):
#
#   bench/postgresql.sh                  # PODIUM defaults to build/podium
#   RUNS=5 DURATION=10s bench/postgresql.sh
#
# Runs itself inside a throw-away cluster of Debian's pg_virtualenv (started
# when PGHOST is not set; as root it needs -t). Alternating RUNS times:
#   - import of bench/'s large document into a new SQLite file and into a
#     new PostgreSQL database;
#   - podium copy of that SQLite file into a new PostgreSQL database;
#   - podium serve on each backend (examples/): wrk on the cached article
#     and program pages, and h2load on the program page with the page
#     cache off (server.cache_bytes 0: every request is made from the store);
#   - the same uncached program page at scale: examples/ together with the
#     large document (500 programs, 20,000 people), where the plans of
#     PostgreSQL's statements are the ones a big site gets.
# Prints the medians and the ratios with their targets (a MISS does not
# fail the script); exits non-zero when a command fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
runs=${RUNS:-3}
duration=${DURATION:-10s}

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium

if [[ -z ${PODIUM_BENCH_CLUSTER:-} ]]; then
    for cmd in pg_virtualenv wrk h2load; do
        command -v "$cmd" >/dev/null || {
            echo "bench: $cmd is missing (make bench installs it)" >&2; exit 69; }
    done
    export PODIUM PODIUM_BENCH_CLUSTER=1
    PODIUM=$podium
    exec pg_virtualenv -t -c '--locale=C' "${BASH_SOURCE[0]}" "$@"
fi

# the large document, made as import_export.sh makes it
out=$here/out
mkdir -p "$out"
gen_hash=$(sha256sum "$here/gen_document.py" | cut -c1-16)
doc=$out/doc-$gen_hash.json
if [[ ! -s $doc ]]; then
    echo "bench: generating $doc" >&2
    "$py" "$here/gen_document.py" "$doc.tmp.$$" 2>/dev/null
    mv "$doc.tmp.$$" "$doc"
fi

bench_workdir pg-bench

# timed NAME I -- CMD...: one timed run (bench/measure.py); stops on failure
timed() {
    local name=$1 i=$2
    shift 3
    "$py" "$here/measure.py" "$work/$name.$i" /dev/null "$work/$name.$i.err" -- "$@" || {
        echo "bench: '$*' failed:" >&2; head -n 20 "$work/$name.$i.err" >&2; exit 70; }
}
newdb() { # newdb NAME: an empty PostgreSQL database, as its operator makes it
    psql -q -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

echo "bench: $runs runs of import and copy of $doc ($(stat -c %s "$doc") bytes)" >&2
for ((i = 1; i <= runs; i++)); do
    rm -f "$work/import.db"*
    timed sqlite_import "$i" -- "$podium" --db "$work/import.db" import --quiet "$doc"
    newdb bench_import
    timed pg_import "$i" -- "$podium" --db postgresql:///bench_import import --quiet "$doc"
    newdb bench_copy
    timed copy_to_pg "$i" -- "$podium" copy "$work/import.db" postgresql:///bench_copy
    rm -f "$work/back.db"*
    timed copy_to_sqlite "$i" -- "$podium" copy postgresql:///bench_copy "$work/back.db"
    echo "bench: run $i: import SQLite $(cut -d' ' -f1 "$work/sqlite_import.$i")s," \
        "PostgreSQL $(cut -d' ' -f1 "$work/pg_import.$i")s; copy to PostgreSQL" \
        "$(cut -d' ' -f1 "$work/copy_to_pg.$i")s, back $(cut -d' ' -f1 "$work/copy_to_sqlite.$i")s" >&2
done

# ---------------------------------------------------------------- serving
sq=$work/examples.db
for f in "$root"/examples/*.json; do "$podium" --db "$sq" import --quiet "$f"; done
newdb bench_serve
"$podium" copy "$sq" postgresql:///bench_serve >/dev/null
cp "$sq" "$work/uncached.db"
"$podium" --db "$work/uncached.db" set server.cache_bytes 0
newdb bench_uncached
"$podium" copy "$work/uncached.db" postgresql:///bench_uncached >/dev/null
cp "$work/uncached.db" "$work/scale.db"
"$podium" --db "$work/scale.db" import --quiet "$doc"
newdb bench_scale
"$podium" copy "$work/scale.db" postgresql:///bench_scale >/dev/null

bench_serve sqlite "$sq"
bench_serve pg postgresql:///bench_serve
bench_serve sqlite_off "$work/uncached.db"
bench_serve pg_off postgresql:///bench_uncached
bench_serve sqlite_scale "$work/scale.db"
bench_serve pg_scale postgresql:///bench_scale

article=/programs/malaysia-hightech-2021/articles/opening-kicked-off
program=/programs/malaysia-hightech-2021
for server in sqlite pg; do
    v=port_$server
    for page in "$article" "$program"; do curl -sS -f -o /dev/null "http://127.0.0.1:${!v}$page"; done
done
rps_wrk() { wrk -t2 -c64 -d"$duration" "$1" | sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p'; }
rps_h2() { h2load --h1 -t2 -c64 -D "${duration%s}" "$1" 2>&1 |
    sed -n 's/^finished in .*, \([0-9.]*\) req\/s,.*/\1/p'; }
for ((i = 1; i <= runs; i++)); do
    for server in sqlite pg; do
        v=port_$server
        echo "bench: run $i/$runs, serve on $server" >&2
        rps_wrk "http://127.0.0.1:${!v}$article" >"$work/article.$server.$i"
        rps_wrk "http://127.0.0.1:${!v}$program" >"$work/program.$server.$i"
        v=port_${server}_off
        rps_h2 "http://127.0.0.1:${!v}$program" >"$work/uncached.$server.$i"
        v=port_${server}_scale
        rps_h2 "http://127.0.0.1:${!v}$program" >"$work/scale.$server.$i"
    done
done
for name in sqlite pg sqlite_off pg_off sqlite_scale pg_scale; do
    grep -q ' 50[03] ' "$work/$name.log" && { echo "bench: $name answered errors:" >&2
        grep ' 50[03] ' "$work/$name.log" | head -n 5 >&2; exit 70; }
done

WORK=$work RUNS_N=$runs "$py" - <<'EOF'
import os, statistics
work, runs = os.environ["WORK"], int(os.environ["RUNS_N"])
def med(name, col=0):
    return statistics.median(float(open("%s/%s.%d" % (work, name, i)).read().split()[col])
                             for i in range(1, runs + 1))
def mark(ok):
    return "pass" if ok else "MISS"
sq, pg = med("sqlite_import"), med("pg_import")
to_pg, back = med("copy_to_pg"), med("copy_to_sqlite")
print("Podium on PostgreSQL against SQLite: median of %d alternating runs" % runs)
print()
print("                                   seconds   / SQLite import   target")
print("  import, SQLite                  %8.3f" % sq)
print("  import, PostgreSQL              %8.3f   %6.2fx           <= 2x   %s" % (pg, pg / sq, mark(pg / sq <= 2)))
print("  copy SQLite -> PostgreSQL       %8.3f   %6.2fx           <= 3x   %s" % (to_pg, to_pg / sq, mark(to_pg / sq <= 3)))
print("  copy PostgreSQL -> SQLite       %8.3f   %6.2fx" % (back, back / sq))
print()
print("                                   SQLite req/s   PostgreSQL req/s   ratio   target")
for name, label, target in (("article", "article page, cached", 0.9),
                            ("program", "program page, cached", 0.9),
                            ("uncached", "program page, cache off", 0.5),
                            ("scale", "same, at scale (+ large doc)", None)):
    s, p = med("%s.sqlite" % name), med("%s.pg" % name)
    verdict = "(no target)" if target is None else ">= %.1fx  %s" % (target, mark(p / s >= target))
    print("  %-30s %12.0f %18.0f %7.2fx  %s" % (label, s, p, p / s, verdict))
EOF
