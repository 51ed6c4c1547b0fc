#!/bin/sh
# run.sh: every test of Podium, on the release build and again on the
# AddressSanitizer + UndefinedBehaviorSanitizer build; the system, web and
# browser suites once on SQLite and once on PostgreSQL (a throw-away
# cluster of pg_virtualenv, tests/backend.py); ends with the line
# "N passed, N failed" over everything that ran (tests/summarize.py).
#
#   tests/run.sh                        everything
#   tests/run.sh --suites BACKEND [SUITE...]
#                                       the pytest suites (all three when none
#                                       is named) on one backend only
#                                       (postgresql: inside pg_virtualenv)
set -u
cd "$(dirname "$0")/.."
out=test-results
PY=/usr/bin/python3

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"

# suites BACKEND [SUITE...]: the pytest suites (system, web and browser when
# none is named) on both builds, each in a pytest run of its own (their
# conftest modules share a name); returns 1 when one failed
suites() {
	backend=$1
	shift
	[ $# -gt 0 ] || set -- system web browser
	rc=0
	for build in build build-asan; do
		for suite in "$@"; do
			echo "== $suite tests ($build/podium, $backend)"
			PODIUM_TEST_BACKEND=$backend PODIUM_BIN="$PWD/$build/podium" PODIUM_BROWSER_STRICT=1 \
				$PY -m pytest "tests/$suite" -q -p no:cacheprovider \
				--basetemp="${TMPDIR:-/tmp}/podium-pytest-$suite-$build-$backend" \
				--junitxml="$out/$suite-$build-$backend.xml" \
				-o junit_suite_name="$suite-$build-$backend" || rc=1
		done
	done
	return $rc
}

if [ "${1:-}" = --suites ]; then
	shift
	suites "$@"
	exit $?
fi

rm -rf "$out"
mkdir -p "$out"
status=0
for build in build build-asan; do
	echo "== unit tests ($build)"
	# cmocka writes one XML file per test program (CMOCKA_XML_FILE, set in meson.build)
	rm -f "$build"/unit-*.xml
	meson test -C "$build" --print-errorlogs || status=1
	for f in "$build"/unit-*.xml; do
		[ -f "$f" ] && cp "$f" "$out/$build-$(basename "$f")"
	done
done

# Three lines of runs at once, which share nothing (SQLite files in temporary
# folders; each PostgreSQL line a cluster of its own, made and dropped around
# its runs, C byte order as SQLite): SQLite's suites; PostgreSQL's web suite
# (which restarts its cluster); PostgreSQL's system and browser suites. A
# line alone keeps a core only half busy (pytest waits on servers, browsers
# and the database), and these three take about as long each. PostgreSQL's
# web runs are shown as they come, the others' when all are done. Each
# backend keeps its browser output (screenshots, the Nu HTML Checker's
# report) in a folder of its own.
(
	export PODIUM_BROWSER_OUT="$PWD/$out/browser-sqlite"
	suites sqlite
) >"$out/sqlite.log" 2>&1 &
sqlite_run=$!
PODIUM_BROWSER_OUT="$PWD/$out/browser-postgresql" \
	pg_virtualenv -t -c '--locale=C' sh tests/run.sh --suites postgresql system browser \
	>"$out/postgresql.log" 2>&1 &
pg_run=$!
# pg_createcluster takes the first free port: the second cluster is made once
# the first is up (its first suite has begun), not at the same moment
for _ in $(seq 300); do
	grep -q '^== ' "$out/postgresql.log" 2>/dev/null || ! kill -0 $pg_run 2>/dev/null && break
	sleep 0.5
done
pg_virtualenv -t -c '--locale=C' sh tests/run.sh --suites postgresql web || status=1
wait $sqlite_run || status=1
wait $pg_run || status=1
echo "== the SQLite runs, and PostgreSQL's system and browser runs, which ran beside the others"
cat "$out/sqlite.log" "$out/postgresql.log"

$PY tests/summarize.py "$out"/*.xml || status=1
exit $status
