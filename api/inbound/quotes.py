"""Strip the quoted earlier mail and the signature from a plain-text reply.

The reply is what comes before the first of: an attribution line ("On … wrote:", "Am …
schrieb …:"), a forwarded/original-message separator, an Outlook header block ("From:" /
"Von:" followed by "Sent:" / "Gesendet:"), a trailing run of ">" lines, or the signature
separator "-- ". If that leaves nothing, the text is kept as it was."""

from __future__ import annotations

import re

ATTRIBUTION = [
    re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Am\b.{0,200}\bschrieb\b.{0,200}:\s*$", re.IGNORECASE),
    re.compile(r"^\s*Le\b.{0,200}\ba écrit\s*:\s*$", re.IGNORECASE),
]
SEPARATORS = re.compile(
    r"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|Forwarded message|"
    r"Weitergeleitete Nachricht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
HEADER_FROM = re.compile(r"^\s*\*?(From|Von)\s*:\*?\s", re.IGNORECASE)
HEADER_NEXT = re.compile(r"^\s*\*?(Sent|Gesendet|Date|Datum|To|An|Subject|Betreff)\s*:\*?\s", re.IGNORECASE)
SIGNATURE = "-- "


def _attribution_at(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(pattern.match(line) for pattern in ATTRIBUTION):
        return True
    # Attributions that mail programs wrap over two lines: "On Mon, 1 Jan 2026, Jürgen Müller\n<a@b> wrote:"
    if index + 1 < len(lines) and re.match(r"^\s*(On|Am)\b", line, re.IGNORECASE):
        joined = f"{line} {lines[index + 1]}"
        return any(pattern.match(joined) for pattern in ATTRIBUTION)
    return False


def quoted_text_strip(text: str) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        if (
            _attribution_at(lines, index)
            or SEPARATORS.match(line)
            or line == SIGNATURE
            or line.rstrip() == "--"
            or (HEADER_FROM.match(line) and any(HEADER_NEXT.match(n) for n in lines[index + 1:index + 4]))
        ):
            cut = index
            break
    kept = lines[:cut]
    # A trailing block of ">" lines (with blank lines between) is the quote too.
    end = len(kept)
    while end > 0 and (kept[end - 1].startswith(">") or not kept[end - 1].strip()):
        end -= 1
    kept = kept[:end]
    result = "\n".join(kept).strip()
    return result or (text or "").strip()
