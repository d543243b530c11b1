#!/usr/bin/env python3
"""Detection and rollout numbers of one module of the real-world sweep.

Usage: detect.py astcount.txt report-before.json report-after.json

Compares the independent AST count (astcount) with the tool's own verdicts
before -fix, and lists what is still missing after -fix, by reason.
"""
import collections
import json
import re
import sys


def shape(reason):
    """A reason without its positions, so that reasons group by kind."""
    return re.sub(r"[\w./-]+\.go:\d+", "F:N", reason)[:110]


def verdicts(path):
    out = {}
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, ValueError):
        return out
    for a in rep.get("agents") or []:
        for m in a.get("methods") or []:
            out[a["package"] + "." + a["name"] + "." + m["name"]] = (m["status"], m.get("reason", ""))
    return out


def main():
    ast = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("total ")]
    before, after = verdicts(sys.argv[2]), verdicts(sys.argv[3])
    st = collections.Counter(before.get(m, ("not in scope", ""))[0] for m in ast)
    print(f"detection: {len(ast)} methods do failing work (AST); the tool before -fix: " +
          ", ".join(f"{k} {v}" for k, v in sorted(st.items())))
    for m in ast:
        if m not in before:
            print(f"  not in scope: {m}")
    extra = [m for m, (s, _) in before.items() if s == "missing" and m not in set(ast)]
    print(f"reported but not in the AST count: {len(extra)}")
    for m in extra[:20]:
        print(f"  {m}: {before[m][1]}")
    left = collections.Counter()
    for m, (s, r) in after.items():
        if s == "missing":
            left[shape(r)] += 1
    routed = collections.Counter(shape(r) for m, (s, r) in after.items() if s == "routed" and r)
    print(f"after -fix: {sum(1 for s, _ in after.values() if s == 'routed')} routed, "
          f"{sum(left.values())} missing, {sum(1 for s, _ in after.values() if s == 'exempt')} exempt")
    for r, n in left.most_common(12):
        print(f"  missing {n}: {r}")
    if len(left) > 12:
        print(f"  ... and {sum(left.values()) - sum(n for _, n in left.most_common(12))} more, of {len(left) - 12} other kinds")
    for r, n in routed.most_common(8):
        print(f"  routed {n}: {r}")


if __name__ == "__main__":
    main()
