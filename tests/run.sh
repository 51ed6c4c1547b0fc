#!/bin/sh
# run.sh: every test of Podium, on the release build and again on the
# AddressSanitizer + UndefinedBehaviorSanitizer build; the system, web and
# browser suites once on SQLite and once on PostgreSQL (a throw-away
# cluster of pg_virtualenv, tests/backend.py); ends with the line
# "N passed, N failed" over everything that ran (tests/summarize.py).
#
#   tests/run.sh                        everything
#   tests/run.sh --suites BACKEND       the pytest suites on one backend only
#                                       (postgresql: inside pg_virtualenv)
set -u
cd "$(dirname "$0")/.."
out=test-results
PY=/usr/bin/python3

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"

# suites BACKEND: the pytest suites on both builds, each in a pytest run of
# its own (their conftest modules share a name); returns 1 when one failed
suites() {
	rc=0
	for build in build build-asan; do
		for suite in system web browser; do
			echo "== $suite tests ($build/podium, $1)"
			PODIUM_TEST_BACKEND=$1 PODIUM_BIN="$PWD/$build/podium" PODIUM_BROWSER_STRICT=1 \
				$PY -m pytest "tests/$suite" -q -p no:cacheprovider \
				--basetemp="${TMPDIR:-/tmp}/podium-pytest-$suite-$build-$1" \
				--junitxml="$out/$suite-$build-$1.xml" \
				-o junit_suite_name="$suite-$build-$1" || rc=1
		done
	done
	return $rc
}

if [ "${1:-}" = --suites ]; then
	suites "$2"
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

# The two backends at once: their runs share nothing (SQLite files in temporary
# folders; a PostgreSQL cluster of its own, made and dropped around the runs, C
# byte order as SQLite), and one run alone leaves half of a 2-core machine idle
# (pytest waits on servers, browsers and the database). SQLite's lines are
# shown when both are done; PostgreSQL's as they come. Each keeps its browser
# output (screenshots, the Nu HTML Checker's report) in a folder of its own.
(export PODIUM_BROWSER_OUT="$PWD/$out/browser-sqlite"; suites sqlite) >"$out/sqlite.log" 2>&1 &
sqlite_run=$!
PODIUM_BROWSER_OUT="$PWD/$out/browser-postgresql" \
	pg_virtualenv -t -c '--locale=C' sh tests/run.sh --suites postgresql || status=1
wait $sqlite_run || status=1
echo "== the SQLite runs, which ran beside those on PostgreSQL"
cat "$out/sqlite.log"

$PY tests/summarize.py "$out"/*.xml || status=1
exit $status
