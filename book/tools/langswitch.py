#!/usr/bin/env python3
"""mdBook preprocessor: a link to the same page in the other language's book.

    [preprocessor.langswitch]
    command = "python3 book/tools/langswitch.py ko"  # in book/book.toml
    command = "python3 book/tools/langswitch.py en"  # in book-ko/book.toml

(mdbook runs it from where mdbook was started: build from the repository's top.)

The English book is built to book/book/ and the Korean one inside it, to
book/book/ko/ (scripts/check-book.sh builds both in that order), so a page
at PATH.md links to ko/PATH.html from English and ../PATH.html from Korean,
each relative to the page. Every chapter gets the link on its first line;
the Korean book's pending chapters too (they point to the English text).
"""

import json
import sys

SWITCH = {
    # target language: (folder of its book relative to this book's root, its name for itself)
    "ko": ("ko/", "한국어"),
    "en": ("../", "English"),
}


def chapters(items):
    for item in items:
        chapter = item.get("Chapter") if isinstance(item, dict) else None
        if chapter:
            yield chapter
            yield from chapters(chapter.get("sub_items", []))


def main():
    if "supports" in sys.argv[2:]:
        sys.exit(0)  # `LANG supports RENDERER`: every renderer takes plain HTML
    target = sys.argv[1]
    folder, name = SWITCH[target]
    _context, book = json.load(sys.stdin)
    for chapter in chapters(book.get("sections", book.get("items", []))):
        path = chapter.get("path")
        if not path:
            continue  # a draft chapter has no page
        up = "../" * path.count("/")
        href = f"{up}{folder}{path[:-3]}.html"
        link = f'<p class="lang-switch"><a href="{href}" hreflang="{target}" lang="{target}">{name}</a></p>\n\n'
        chapter["content"] = link + chapter["content"]
    json.dump(book, sys.stdout)


if __name__ == "__main__":
    main()
