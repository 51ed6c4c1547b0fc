#!/bin/sh
# fuzz.sh SECONDS: runs every fuzz target of build-fuzz/ for SECONDS each
# (libFuzzer, ASan and UBSan), starting from its corpus in fuzz/corpus/ and
# growing a working corpus in build-fuzz/corpus/. A crash stops with a
# non-zero exit and leaves its input in fuzz/crashes/TARGET-crash-*: add it
# to fuzz/corpus/TARGET/ once fixed, so that make test replays it for good.
set -u
cd "$(dirname "$0")/.."
seconds=${1:-60}
status=0
mkdir -p fuzz/crashes
for bin in build-fuzz/fuzz-*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	target=${bin#build-fuzz/fuzz-}
	work=build-fuzz/corpus/$target
	mkdir -p "$work"
	echo "== fuzz $target for ${seconds}s"
	if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
		-artifact_prefix="fuzz/crashes/$target-" -print_final_stats=1 "$work" "fuzz/corpus/$target" \
		>"build-fuzz/$target.log" 2>&1; then
		echo "fuzz $target: FOUND A PROBLEM (build-fuzz/$target.log, fuzz/crashes/$target-*)"
		grep -E "ERROR|runtime error|SUMMARY" "build-fuzz/$target.log" | head -5
		status=1
	fi
	grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" \
		"build-fuzz/$target.log" | tr '\n' ' '
	echo
done
exit $status
