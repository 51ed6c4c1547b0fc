#!/usr/bin/python3
"""Run one command and record its wall time and peak RSS.

    measure.py RESULT_FILE STDOUT_FILE STDERR_FILE -- COMMAND [ARGS...]

Runs COMMAND with standard output and standard error sent to the given
files (/dev/null is fine), then writes "SECONDS MAXRSS_KIB" to RESULT_FILE:
the wall time from start to exit, and ru_maxrss of that one child as
reported by wait4(2) (not of earlier children).  Exits with the command's
status (128+N when killed by signal N).  Standard library only.
"""

import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 6 or sys.argv[4] != "--":
        sys.exit("usage: measure.py RESULT_FILE STDOUT_FILE STDERR_FILE -- COMMAND [ARGS...]")
    result, out_path, err_path, argv = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5:]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = 0  # reaped by wait4 already; keep Popen from waiting again
    with open(result, "w") as f:
        f.write("%.3f %d\n" % (seconds, usage.ru_maxrss))
    if os.WIFSIGNALED(status):
        sys.exit(128 + os.WTERMSIG(status))
    sys.exit(os.WEXITSTATUS(status))


if __name__ == "__main__":
    main()
