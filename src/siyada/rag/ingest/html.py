"""HTML: main text only. Boilerplate elements (nav, header, footer, aside, forms, scripts) are
dropped; when the page marks its content with ``<main>`` or ``<article>``, only that is kept.

Standard-library parser on purpose: it never raises on broken markup and adds no dependency.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePath

from siyada.rag.ingest.guards import decode_text
from siyada.rag.types import Block, ParsedFile

_SKIP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "menu",
}
_BLOCK = {
    "p",
    "div",
    "section",
    "li",
    "tr",
    "br",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
    "article",
    "main",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}
_SPACES = re.compile(r"[ \t\u00a0]+")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.skip_depth = 0
        self.in_title = False
        self.main_depth = 0  # inside <main>/<article>
        self.saw_main = False
        self.heading_level = 0
        self.heading_text: list[str] = []
        self.stack: list[tuple[int, str]] = []
        self.all_blocks: list[tuple[Block, bool]] = []  # (block, inside main)
        self.text: list[str] = []

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.text)).strip()
        self.text.clear()
        if text:
            heading = " > ".join(h for _, h in self.stack)
            self.all_blocks.append((Block(text, heading=heading), self.main_depth > 0))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self.text.append("\n")
            return
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag in ("main", "article"):
            self._flush()
            self.main_depth += 1
            self.saw_main = True
        elif tag in _HEADINGS and not self.skip_depth:
            self._flush()
            self.heading_level = _HEADINGS[tag]
            self.heading_text = []
        elif tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in ("main", "article"):
            self._flush()
            self.main_depth = max(0, self.main_depth - 1)
        elif tag in _HEADINGS and self.heading_level:
            heading = _SPACES.sub(" ", "".join(self.heading_text)).strip()
            while self.stack and self.stack[-1][0] >= self.heading_level:
                self.stack.pop()
            if heading:
                self.stack.append((self.heading_level, heading))
            self.heading_level = 0
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif self.skip_depth:
            return
        elif self.heading_level:
            self.heading_text.append(data)
        else:
            self.text.append(data)


def read_html(data: bytes, name: str) -> ParsedFile:
    parser = _Extractor()
    parser.feed(decode_text(data))
    parser.close()
    parser._flush()
    kept = [b for b, in_main in parser.all_blocks if in_main or not parser.saw_main]
    first_heading = next((h for _, h in parser.stack[:1]), "")
    title = _SPACES.sub(" ", parser.title).strip() or first_heading or PurePath(name).stem
    return ParsedFile(title=title, blocks=kept, format="html")
