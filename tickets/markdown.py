"""Markdown from customers and agents, rendered to safe HTML.

Markdown is converted first, then nh3 keeps only a small allow-list of tags: no scripts, no
styles, no iframes, no images (a remote image would leak the reader's address and time to
whoever hosts it; files belong in attachments). Links keep http, https and mailto only and
get rel="nofollow noopener noreferrer"."""

import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "svg", "math"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)


EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
# One converter per thread, reset between texts: building a Markdown instance costs far more than
# converting a short comment, and a ticket's timeline converts every comment on the page.
_converters = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter


def render_markdown(text: str) -> SafeString:
    if not text:
        return mark_safe("")
    html = _converter().reset().convert(text)
    return mark_safe(_cleaner.clean(html))  # noqa: S308 (sanitised by nh3 just above)
