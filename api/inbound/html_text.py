"""HTML mail to plain text: block elements become line breaks, scripts and styles vanish,
links keep their address, and (for replies) quoted blocks can be dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "hr", "section", "article", "header", "footer", "address",
}
CELLS = {"td", "th"}
SKIP = {"script", "style", "head", "title", "template", "noscript"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr", "source"}
# Containers mail programs put the quoted earlier mail in.
QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote", "ms-outlook-quote")
QUOTE_IDS = ("divRplyFwdMsg", "appendonsend", "mail-editor-reference-message-container")


class _TextBuilder(HTMLParser):
    def __init__(self, drop_quotes: bool):
        super().__init__(convert_charrefs=True)
        self.drop_quotes = drop_quotes
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, starts a skipped region)
        self.skipping = 0
        self.cut = False  # an Outlook reply header was seen: everything after it is the quote
        self.href: list[str | None] = []

    def _is_quote(self, tag: str, attrs: dict) -> bool:
        if not self.drop_quotes:
            return False
        if tag == "blockquote":
            return True
        classes = (attrs.get("class") or "").split()
        return any(c in QUOTE_CLASSES for c in classes) or (attrs.get("id") or "") in QUOTE_IDS

    def handle_starttag(self, tag, attrs):
        if self.cut:
            return
        attributes = dict(attrs)
        if self.drop_quotes and (attributes.get("id") or "") in QUOTE_IDS:
            self.cut = True
            return
        starts_skip = tag in SKIP or self._is_quote(tag, attributes)
        if tag not in VOID:
            self.stack.append((tag, starts_skip))
        if starts_skip:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag in BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self.href.append(attributes.get("href"))

    def handle_endtag(self, tag):
        if self.cut or tag in VOID:
            return
        # Close up to the matching open tag (HTML in mail is often not well formed).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _tag, skipped in self.stack[index:]:
                    if skipped:
                        self.skipping -= 1
                del self.stack[index:]
                break
        else:
            return
        if self.skipping:
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")) and href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({href})")
        if tag in BLOCK:
            self.parts.append("\n")
        elif tag in CELLS:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.cut or self.skipping:
            return
        self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str, *, drop_quotes: bool = False) -> str:
    builder = _TextBuilder(drop_quotes)
    builder.feed(html or "")
    builder.close()
    text = "".join(builder.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
