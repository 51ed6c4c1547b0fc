#!/bin/sh
# run.sh: every test of Podium, on the release build and again on the
# AddressSanitizer + UndefinedBehaviorSanitizer build; ends with the line
# "N passed, N failed" over everything that ran (tests/summarize.py).
set -u
cd "$(dirname "$0")/.."
out=test-results
rm -rf "$out"
mkdir -p "$out"
status=0
PY=/usr/bin/python3

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=86:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"

for build in build build-asan; do
	echo "== unit tests ($build)"
	# cmocka writes one XML file per test program (CMOCKA_XML_FILE, set in meson.build)
	rm -f "$build"/unit-*.xml
	meson test -C "$build" --print-errorlogs || status=1
	for f in "$build"/unit-*.xml; do
		[ -f "$f" ] && cp "$f" "$out/$build-$(basename "$f")"
	done
done

# each suite in a pytest run of its own: their conftest modules share a name
for build in build build-asan; do
	for suite in system web browser; do
		echo "== $suite tests ($build/podium)"
		PODIUM_BIN="$PWD/$build/podium" PODIUM_BROWSER_STRICT=1 $PY -m pytest "tests/$suite" -q \
			-p no:cacheprovider --junitxml="$out/$suite-$build.xml" \
			-o junit_suite_name="$suite-$build" || status=1
	done
done

$PY tests/summarize.py "$out"/*.xml || status=1
exit $status
