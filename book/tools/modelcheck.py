#!/usr/bin/env python3
"""Check that the book documents exactly the fields of the real box model.

    python3 book/tools/modelcheck.py book/src/reference/model.md BOX.json...

Each BOX.json is the output of `glassbox inspect BOX --json` for a real
box. A field's path is written as in the book's tables: keys joined by
dots, `[]` after an array of objects (`namespaces[].kind`). Every path in
the JSON must have a row in the page (a table row whose first cell is the
path in backticks), and every row must name a path that some box has, so
the page can neither miss a field nor describe one that is gone.
"""

import json
import re
import sys

ROW = re.compile(r"^\|\s*`([a-z_][a-z0-9_.\[\]]*)`\s*\|")


def paths(value, prefix, out):
    if isinstance(value, dict):
        for key, child in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            paths(child, path, out)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                paths(item, prefix + "[]", out)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: modelcheck.py MODEL.md BOX.json...")
    documented = set()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if m:
                documented.add(m.group(1))
    real = set()
    for name in sys.argv[2:]:
        with open(name, encoding="utf-8") as f:
            paths(json.load(f), "", real)
    missing = sorted(real - documented)
    stale = sorted(documented - real)
    for p in missing:
        print(f"modelcheck: inspect --json has `{p}`, but {sys.argv[1]} has no row for it")
    for p in stale:
        print(f"modelcheck: {sys.argv[1]} documents `{p}`, which no real box's inspect --json has")
    if missing or stale:
        return 1
    print(f"modelcheck: the {len(real)} fields of inspect --json are documented, and nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
