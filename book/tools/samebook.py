#!/usr/bin/env python3
"""The Korean book has every chapter of the English one, with the same shape.

    python3 book/tools/samebook.py book/src book-ko/src book-ko/PENDING

Both SUMMARY.md files must list the same chapter files in the same order.
Each chapter must exist in both books; a Korean chapter that is translated
must have as many headings as the English one and exactly the same code
blocks (commands and output are code: translating them would teach a
different command). Chapters listed in PENDING (translation pending, one
path a line, `#` comments) are only required to exist; a PENDING line that
names no chapter fails too, so the list cannot go stale. Prints one line per
problem and exits 1 if there is any; else a count of the chapters.
"""

import re
import sys

LINK = re.compile(r"\]\(([^)#]+\.md)\)")
FENCE = re.compile(r"^(```+|~~~+)")


def chapters(summary):
    return LINK.findall(open(summary, encoding="utf-8").read())


def shape(path):
    """The headings counted and the code blocks, as the text has them."""
    headings, blocks, block, fence = 0, [], None, None
    for line in open(path, encoding="utf-8").read().splitlines():
        m = FENCE.match(line.strip())
        if block is None:
            if m:
                fence, block = m.group(1), [line.strip()]
            elif re.match(r"^#{1,6} ", line):
                headings += 1
        else:
            if m and line.strip() == fence[0] * len(fence):
                blocks.append("\n".join(block))
                block = None
            else:
                block.append(line)
    return headings, blocks


def main():
    en_src, ko_src, pending_file = sys.argv[1:4]
    pending = [
        l.strip() for l in open(pending_file, encoding="utf-8") if l.strip() and not l.lstrip().startswith("#")
    ]
    en, ko = chapters(f"{en_src}/SUMMARY.md"), chapters(f"{ko_src}/SUMMARY.md")
    problems = []
    if en != ko:
        only_en = [c for c in en if c not in ko]
        only_ko = [c for c in ko if c not in en]
        problems.append(
            f"the SUMMARY.md files list different chapters: English only {only_en}, Korean only {only_ko}"
            + ("" if only_en or only_ko else " (the same files in another order)")
        )
    for p in pending:
        if p not in en:
            problems.append(f"{pending_file}: {p} is no chapter of the English book: remove the line")
    translated = 0
    for chapter in en:
        if chapter not in ko:
            continue
        try:
            ko_shape = shape(f"{ko_src}/{chapter}")
        except FileNotFoundError:
            problems.append(f"{ko_src}/{chapter}: missing (translate it, or list it in {pending_file})")
            continue
        if chapter in pending:
            continue
        translated += 1
        en_headings, en_blocks = shape(f"{en_src}/{chapter}")
        ko_headings, ko_blocks = ko_shape
        if en_headings != ko_headings:
            problems.append(f"{ko_src}/{chapter}: {ko_headings} headings, the English has {en_headings}")
        if len(en_blocks) != len(ko_blocks):
            problems.append(f"{ko_src}/{chapter}: {len(ko_blocks)} code blocks, the English has {len(en_blocks)}")
        for i, (a, b) in enumerate(zip(en_blocks, ko_blocks), 1):
            if a != b:
                problems.append(f"{ko_src}/{chapter}: code block {i} differs from the English one:\n  {a!r}\n  {b!r}")
    for p in problems:
        print(f"samebook: {p}")
    if problems:
        sys.exit(1)
    print(f"samebook: {len(en)} chapters in each book; Korean: {translated} translated, {len(pending)} pending")


if __name__ == "__main__":
    main()
