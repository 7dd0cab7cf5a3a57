#!/usr/bin/env python3
"""Check that the book's table of contents names each lesson by its own title.

    python3 book/tools/titles.py book/src/SUMMARY.md lessons
    python3 book/tools/titles.py book-ko/src/SUMMARY.md lessons

A Korean chapter includes `lessons/NN-slug/README.ko.md` and is named by
lesson.ko.toml's title the same way.

A chapter that includes `lessons/NN-slug/README.md` takes its heading from
that README; its line in SUMMARY.md (the sidebar) must read
`N. <title from lessons/NN-slug/lesson.toml>`, so the sidebar and the page
cannot disagree. Also checks that each such README starts with a `# `
heading, since the chapter includes line 1 as its title. Prints one line
per problem and exits 1 if there is any.
"""

import os
import re
import sys

try:
    import tomllib  # Python 3.11+
except ImportError:  # Ubuntu 22.04's 3.10: the title line is all this needs
    tomllib = None

ENTRY = re.compile(r"^\s*- \[(.*)\]\((.*\.md)\)\s*$")
INCLUDE = re.compile(r"\{\{#include [./]*lessons/(\d\d-[a-z0-9-]+)/README(\.ko)?\.md")


def read_title(path):
    if tomllib is not None:
        with open(path, "rb") as f:
            return tomllib.load(f)["title"]  # TOMLDecodeError is a ValueError
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^title\s*=\s*"((?:[^"\\]|\\.)*)"', line)
            if m:
                return m.group(1).encode().decode("unicode_escape")
    raise KeyError("title")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: titles.py SUMMARY.md LESSONS_DIR")
    summary, lessons = sys.argv[1], sys.argv[2]
    src = os.path.dirname(summary)
    problems = []
    with open(summary, encoding="utf-8") as f:
        entries = [m.groups() for m in map(ENTRY.match, f) if m]
    for text, chapter in entries:
        with open(os.path.join(src, chapter), encoding="utf-8") as f:
            m = INCLUDE.search(f.read())
        if not m:
            continue
        lesson, lang = m.group(1), m.group(2) or ""
        folder = os.path.join(lessons, lesson)
        try:
            title = read_title(os.path.join(folder, f"lesson{lang}.toml"))
            with open(os.path.join(folder, f"README{lang}.md"), encoding="utf-8") as f:
                first = f.readline()
        except (OSError, KeyError, ValueError) as e:
            problems.append(f"{chapter}: lesson {lesson}: cannot read its title ({e})")
            continue
        if not first.startswith("# "):
            problems.append(
                f"{folder}/README{lang}.md: line 1 must be its '# NN · title' heading"
                " (the book includes line 1 as the chapter title)"
            )
        want = f"{int(lesson[:2])}. {title}"
        if text != want:
            problems.append(f"{summary}: the entry for {chapter} reads [{text}]; make it [{want}] (lesson{lang}.toml's title)")
    for p in problems:
        print(f"titles: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
