"""Checks for uploaded files: a size limit (ATTACHMENT_MAX_MB), an allow-list of extensions
(ATTACHMENT_ALLOWED_EXTENSIONS) and a cheap look at the first bytes, so that a renamed
program does not pass as a PDF. File names are cleaned for storage and download."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tickets.errors import AttachmentRefused

MAX_NAME_LENGTH = 120
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

# Content types we send back (never the browser's claim at upload time).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "eml": "message/rfc822",
    "zip": "application/zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "msg": "application/vnd.ms-outlook",
}

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# What the first bytes must look like, per extension. Text types: no NUL byte in the head.
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "zip": _ZIP,
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "msg": _OLE,
    "txt": None,
    "log": None,
    "csv": None,
    "json": None,
    "xml": None,
    "eml": None,
}
# Programs, whatever the extension: Windows (MZ), Linux (ELF) and scripts with an interpreter line
# ("#!/bin/sh"), also behind a UTF-8 byte order mark.
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!")
_UTF8_BOM = b"\xef\xbb\xbf"
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    size: int


def sanitize_filename(raw: str) -> str:
    """Keep the last path part, drop control characters and reserved characters, keep umlauts
    (NFC), cap the length but keep the extension. Never empty."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _RESERVED.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    path = PurePosixPath(name or "attachment")
    stem, suffix = path.stem, path.suffix
    if len(suffix) > 16:
        stem, suffix = name, ""
    if stem.upper() in _WINDOWS_DEVICES or not stem:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") or "attachment"
    return f"{stem}{suffix}"


def allowed_extensions() -> list[str]:
    return sorted({ext.lower().lstrip(".") for ext in settings.ATTACHMENT_ALLOWED_EXTENSIONS})


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_MB * 1024 * 1024)


KILOBYTE, MEGABYTE = 1024, 1024 * 1024


def size_text(size: int, *, beside: int | None = None) -> str:
    """A size in the current language ("20 MB", "20,04 MB", "1,5 KB"), in the unit of the larger of
    `size` and `beside`: whole units without decimals, else two. Shown `beside` another size (a
    limit), with as many decimals as it takes that the two never read the same ("20.001 MB" beside
    "20 MB", not "20.00 MB"); in bytes if even six do not tell them apart."""
    larger = max(size, beside or 0)
    unit, label = (MEGABYTE, _("%(size)s MB")) if larger >= MEGABYTE else (KILOBYTE, _("%(size)s KB"))
    if larger < KILOBYTE:
        return _("%(size)s bytes") % {"size": number_format(size, force_grouping=True)}
    value = Decimal(size) / unit
    if value == value.to_integral_value():
        return label % {"size": number_format(value.to_integral_value(), decimal_pos=0)}
    other = Decimal(beside) / unit if beside is not None else None
    for places in range(2, 7):
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown != other and shown != 0:
            return label % {"size": number_format(shown, decimal_pos=places)}
    return _("%(size)s bytes") % {"size": number_format(size, force_grouping=True)}


def _is_program(head: bytes) -> bool:
    return head.removeprefix(_UTF8_BOM).startswith(_EXECUTABLE)


def _sniff_ok(extension: str, head: bytes) -> bool:
    """Whether the first bytes fit the extension (programs are refused before)."""
    if not head:
        return False
    expected = SIGNATURES.get(extension, ())
    if expected is None:  # text: no NUL byte
        return b"\x00" not in head
    if expected == ():  # allowed by settings but without a known signature
        return True
    return head.startswith(expected)


def check_upload(uploaded) -> CheckedUpload:
    """Validate an UploadedFile; raise AttachmentRefused with a message naming the file."""
    name = sanitize_filename(getattr(uploaded, "name", ""))
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    allowed = allowed_extensions()
    if extension not in allowed:
        raise AttachmentRefused(
            _("“%(name)s” was not attached: files of this type are not accepted. Accepted types: %(types)s.")
            % {"name": name, "types": ", ".join(allowed)},
            code="type",
            file_name=name,
        )
    size = uploaded.size or 0
    if size > max_bytes():
        raise AttachmentRefused(
            _("“%(name)s” was not attached: it is %(size)s, allowed are %(limit)s.")
            % {"name": name, "size": size_text(size, beside=max_bytes()), "limit": size_text(max_bytes())},
            code="size",
            file_name=name,
        )
    if size == 0:
        raise AttachmentRefused(_("“%(name)s” was not attached: the file is empty.") % {"name": name},
                                code="empty", file_name=name)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    if _is_program(head):
        raise AttachmentRefused(
            _("“%(name)s” was not attached: it is a program or a script, and those are not accepted.")
            % {"name": name},
            code="content",
            file_name=name,
        )
    if not _sniff_ok(extension, head):
        raise AttachmentRefused(
            _("“%(name)s” was not attached: its content does not match a .%(extension)s file.")
            % {"name": name, "extension": extension},
            code="content",
            file_name=name,
        )
    return CheckedUpload(
        name=name,
        extension=extension,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=size,
    )
