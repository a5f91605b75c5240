"""checks.py - the one way the Python command tests in this folder record a failed check and
end: check() prints each failure as it happens, finish() prints the count and exits non-zero
when any check failed. Imported as `from checks import check, failures, finish` (a test's own
folder is on Python's path)."""
import sys

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL", what)


def finish(label):
    print(f"{label}: {len(failures)} failed")
    sys.exit(1 if failures else 0)
