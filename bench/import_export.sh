#!/usr/bin/env bash
# Import/export benchmark of podium on a large podium-program/1 document
# (500 programs x 40 sessions, ~130k records, ~27 MB), see bench/README.md.
#
#   bench/import_export.sh            # PODIUM defaults to build/podium
#   PODIUM=/path/to/podium RUNS=5 bench/import_export.sh
#
# Compares, in alternating runs, `jq -c .` of the document (the reference),
# `podium import` into a fresh database and `podium export` of it; prints the
# medians, the ratios to jq with their targets (pass/miss: a miss does not
# fail the script), the peak RSS of import, and checks once that the export
# round-trips (`jq -S .` of both equal).  Exits non-zero only when a command
# fails (and, with STRICT=1, when the round trip differs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
py=/usr/bin/python3
runs=${RUNS:-3}

# ---------------------------------------------------------------- podium
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_find_podium

# ---------------------------------------------------------------- tools
install_pkg() { # install a Debian package if its command is missing
    local cmd=$1 pkg=$2
    if [[ -x $cmd ]] || command -v "$(basename "$cmd")" >/dev/null 2>&1; then
        return 0
    fi
    echo "bench: $cmd missing, installing Debian package '$pkg'" >&2
    local sudo=
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    $sudo apt-get install -y "$pkg" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$pkg" >&2; }
}
[[ -x $py ]] || { echo "bench: $py is needed" >&2; exit 69; }
install_pkg /usr/bin/jq jq
jq=$(command -v jq)

# ---------------------------------------------------------------- document
# Cached in bench/out/, keyed by the generator's hash (bench/out/ is meant to
# be git-ignored).
out=$here/out
mkdir -p "$out"
gen_hash=$(sha256sum "$here/gen_document.py" | cut -c1-16)
doc=$out/doc-$gen_hash.json
counts=$out/doc-$gen_hash.counts
if [[ ! -s $doc || ! -s $counts ]]; then
    echo "bench: generating $doc" >&2
    "$py" "$here/gen_document.py" "$doc.tmp.$$" 2>"$counts.tmp.$$"
    mv "$counts.tmp.$$" "$counts"
    mv "$doc.tmp.$$" "$doc"
fi
doc_bytes=$(stat -c %s "$doc")
records=$(awk '$1 == "records" {print $2}' "$counts")

work=$(mktemp -d "${TMPDIR:-/tmp}/podium-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# run NAME I STDOUT -- CMD...: time one run; on failure show its errors, exit
run() {
    local name=$1 i=$2 stdout=$3
    shift 4
    local rc=0
    "$py" "$here/measure.py" "$work/$name.$i" "$stdout" "$work/$name.$i.err" -- "$@" || rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "bench: '$*' failed with exit code $rc; its standard error (first 40 lines):" >&2
        head -n 40 "$work/$name.$i.err" >&2
        local n
        n=$(wc -l <"$work/$name.$i.err")
        [[ $n -le 40 ]] || echo "bench: ... $((n - 40)) more lines" >&2
        exit "$rc"
    fi
}

version=$("$podium" --version 2>/dev/null | head -n 1 || true)
echo "bench: $runs runs each of jq, import, export on $doc ($doc_bytes bytes)" >&2
for ((i = 1; i <= runs; i++)); do
    db=$work/run$i.db
    run jq "$i" /dev/null -- "$jq" -c . "$doc"
    # a fresh, empty database for every import; init is not timed
    "$podium" --db "$db" init >"$work/init.$i.out" 2>&1 || {
        echo "bench: '$podium --db $db init' failed:" >&2; cat "$work/init.$i.out" >&2; exit 1; }
    run import "$i" /dev/null -- "$podium" --db "$db" import "$doc"
    run export "$i" /dev/null -- "$podium" --db "$db" export
    echo "bench: run $i: jq $(cut -d' ' -f1 "$work/jq.$i")s, import $(cut -d' ' -f1 "$work/import.$i")s, export $(cut -d' ' -f1 "$work/export.$i")s" >&2
done

# ---------------------------------------------------------------- round trip
db=$work/run$runs.db
"$podium" --db "$db" export >"$work/export.json" 2>"$work/export.err" || {
    echo "bench: export failed:" >&2; head -n 40 "$work/export.err" >&2; exit 1; }
"$jq" -S . "$doc" >"$work/doc.sorted.json"
"$jq" -S . "$work/export.json" >"$work/export.sorted.json"
if cmp -s "$work/doc.sorted.json" "$work/export.sorted.json"; then
    roundtrip="OK (jq -S . of the document and of the export are identical)"
    roundtrip_ok=1
else
    roundtrip_ok=0
    roundtrip="DIFFERS: $("$py" - "$doc" "$work/export.json" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))
b = json.load(open(sys.argv[2], encoding="utf-8"))
def first(x, y, path):
    if type(x) is not type(y):
        return path, x, y
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in y:
                return "%s.%s" % (path, k), x[k], "(missing)"
            if k not in x:
                return "%s.%s" % (path, k), "(missing)", y[k]
            d = first(x[k], y[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(x, list):
        for i, (u, v) in enumerate(zip(x, y)):
            d = first(u, v, "%s[%d]" % (path, i))
            if d:
                return d
        if len(x) != len(y):
            return "%s (length)" % path, len(x), len(y)
        return None
    return None if x == y else (path, x, y)
d = first(a, b, "")
short = lambda v: (json.dumps(v, ensure_ascii=False)[:200])
if d:
    print("first difference at %s: document has %s, export has %s" % (d[0].lstrip(".") or "(top)", short(d[1]), short(d[2])))
else:
    print("the data is equal but jq -S . output differs (number or string formatting?)")
EOF
)"
fi

# ---------------------------------------------------------------- report
"$py" - "$runs" "$doc" "$doc_bytes" "${records:-?}" "$podium" "$version" "$work" "$roundtrip" <<'EOF'
import statistics, sys
runs, doc, doc_bytes, records, podium, version, work, roundtrip = sys.argv[1:]
runs, doc_bytes = int(runs), int(doc_bytes)
def med(name):
    rows = [open("%s/%s.%d" % (work, name, i)).read().split() for i in range(1, runs + 1)]
    return (statistics.median(float(r[0]) for r in rows),
            statistics.median(int(r[1]) for r in rows) * 1024)
jq_s, jq_rss = med("jq")
im_s, im_rss = med("import")
ex_s, ex_rss = med("export")
mb = lambda b: b / 1e6
verdict = lambda ok: "pass" if ok else "MISS"
rec = "{:,}".format(int(records)) if records.isdigit() else records
print("Podium import/export benchmark")
print("  podium    %s%s" % (podium, "  (%s)" % version if version else ""))
print("  document  %s" % doc)
print("            %s bytes, %s records" % ("{:,}".format(doc_bytes), rec))
print("  runs      %d of each, alternating; medians" % runs)
print()
print("                 seconds   peak RSS")
print("  jq -c .       %8.3f   %8.1f MB" % (jq_s, mb(jq_rss)))
print("  import        %8.3f   %8.1f MB" % (im_s, mb(im_rss)))
print("  export        %8.3f   %8.1f MB" % (ex_s, mb(ex_rss)))
print()
r_im, r_ex, r_rss = im_s / jq_s, ex_s / jq_s, im_rss / doc_bytes
print("  import / jq        %6.2fx   target <= 1.0x        %s" % (r_im, verdict(r_im <= 1.0)))
print("  export / jq        %6.2fx   target <= 0.5x        %s" % (r_ex, verdict(r_ex <= 0.5)))
print("  import peak RSS    %6.2fx   target <= 12x doc     %s   (%.1f MB for %.1f MB)" % (
    r_rss, verdict(r_rss <= 12), mb(im_rss), mb(doc_bytes)))
print("  round trip         %s" % roundtrip)
EOF

if [[ $roundtrip_ok -ne 1 && ${STRICT:-0} == 1 ]]; then
    exit 1
fi
