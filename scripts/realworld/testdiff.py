#!/usr/bin/env python3
"""Compares two `go test -json` logs of the same module (before and after -fix).

Usage: testdiff.py before.json after.json

Prints the tests that passed before and do not pass after (failed, or
missing because their package no longer builds), the counts, and the sum of
package elapsed times. Exits 1 when a test that passed before does not pass
after.
"""
import json
import sys


def load(path):
    tests, pkgs, elapsed = {}, {}, 0.0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            act, pkg, test = ev.get("Action"), ev.get("Package", ""), ev.get("Test")
            if act not in ("pass", "fail", "skip"):
                continue
            if test:
                tests[pkg + " " + test] = act
            else:
                pkgs[pkg] = act
                elapsed += ev.get("Elapsed", 0.0) or 0.0
    return tests, pkgs, elapsed


def main():
    before, bpk, bel = load(sys.argv[1])
    after, apk, ael = load(sys.argv[2])
    passed_before = {t for t, a in before.items() if a == "pass"}
    broken = sorted(t for t in passed_before if after.get(t) != "pass")
    fixed = sorted(t for t, a in after.items() if a == "pass" and before.get(t) == "fail")
    fb = sum(1 for a in before.values() if a == "fail")
    fa = sum(1 for a in after.values() if a == "fail")
    print(f"tests: before {len(passed_before)} passed, {fb} failed; "
          f"after {sum(1 for a in after.values() if a == 'pass')} passed, {fa} failed")
    print(f"package time: before {bel:.1f}s, after {ael:.1f}s")
    for t in broken:
        print(f"  BROKEN (passed before, {after.get(t, 'not run')} after): {t}")
    for t in fixed:
        print(f"  now passes (failed before): {t}")
    print(f"broken: {len(broken)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
