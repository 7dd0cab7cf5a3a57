#!/usr/bin/env python3
"""Check the built book: every relative link and image resolves, nothing is left unincluded.

    python3 book/tools/linkcheck.py book/book

For each HTML page mdbook wrote (print.html and 404.html aside: the first
repeats every chapter with rewritten links, the second uses site-absolute
ones): every `href` and `src` that is relative must name a file that
exists, and a `#fragment` must name an id on the target page. Also fails
on any `{{#` left in a page (an include mdbook could not resolve stays as
text) and on an SVG image that is not well-formed XML. External links
(`https:`, `mailto:` ...) are not fetched: the classroom may be offline.
Prints one line per problem and exits 1 if there is any.
"""

import html.parser
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ET

SKIP_PAGES = {"print.html", "404.html"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (attribute, value)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if (name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("img", "script")):
                self.links.append((f"<{tag} {name}>", value))


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    page.feed(text)
    return page, text


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: linkcheck.py BUILT_BOOK_DIR")
    root = os.path.abspath(sys.argv[1])
    pages, problems, checked = {}, [], 0

    def page_of(path):
        if path not in pages:
            pages[path] = parse(path)
        return pages[path]

    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if name.endswith(".svg"):
                try:
                    ET.parse(path)
                except ET.ParseError as e:
                    problems.append(f"{rel}: not well-formed SVG: {e}")
            if not name.endswith(".html") or name in SKIP_PAGES:
                continue
            page, text = page_of(path)
            if "{{#" in text:
                line = text[: text.index("{{#")].count("\n") + 1
                problems.append(f"{rel}:{line}: an unresolved mdbook directive ({{{{#...}}}}) is left in the page")
            for what, value in page.links:
                url = urllib.parse.urlsplit(value)
                if url.scheme or url.netloc or value.startswith("/"):
                    continue  # external, or site-absolute: not a file of the book
                checked += 1
                target = path if url.path == "" else os.path.normpath(
                    os.path.join(folder, urllib.parse.unquote(url.path))
                )
                if not target.startswith(root + os.sep) and target != root:
                    problems.append(f"{rel}: {what} {value} points outside the book")
                    continue
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not os.path.exists(target):
                    problems.append(f"{rel}: {what} {value}: no such file")
                    continue
                if url.fragment and target.endswith(".html"):
                    ids = page_of(target)[0].ids
                    if urllib.parse.unquote(url.fragment) not in ids:
                        problems.append(f"{rel}: {what} {value}: no id '{url.fragment}' on that page")

    for p in problems:
        print(f"linkcheck: {p}")
    if problems:
        print(f"linkcheck: {len(problems)} problem(s) in {len(pages)} pages")
        return 1
    print(f"linkcheck: {checked} relative links and images in {len(pages)} pages, all resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
