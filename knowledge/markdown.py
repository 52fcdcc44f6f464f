"""Article texts as safe HTML: the tickets' Markdown and allow-list, plus images, and only the
article images this site serves (behind the permission-checked view): never a remote image."""

import re

import markdown as md
import nh3
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from tickets.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, EXTENSIONS

_IMAGE_SRC = None
_ZERO_ID = "00000000-0000-0000-0000-000000000000"


def _image_src() -> re.Pattern:
    global _IMAGE_SRC
    if _IMAGE_SRC is None:
        example = reverse("knowledge:image", kwargs={"slug": "SLUG", "public_id": _ZERO_ID})
        pattern = re.escape(example).replace("SLUG", r"[-a-zA-Z0-9_]+").replace(re.escape(_ZERO_ID), r"[0-9a-f-]{36}")
        _IMAGE_SRC = re.compile(f"^{pattern}$")
    return _IMAGE_SRC


def _keep(element: str, attribute: str, value: str):
    if element == "img" and attribute == "src":
        return value if _image_src().match(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS | {"img"},
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "svg", "math"},
    attributes={**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "title"}},
    attribute_filter=_keep,
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)


def render_article(text: str) -> SafeString:
    if not text:
        return mark_safe("")
    html = md.markdown(text, extensions=EXTENSIONS, output_format="html")
    return mark_safe(_cleaner.clean(html))  # noqa: S308 (sanitised by nh3 just above)
