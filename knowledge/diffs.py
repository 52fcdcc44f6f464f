"""What changed from one revision to the next, line by line (difflib)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "title_de": _("Title (German)"),
    "body_de": _("Text (German)"),
    "title_en": _("Title (English)"),
    "body_en": _("Text (English)"),
}


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context", "hunk"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]


def revision_diff(older, newer) -> list[FieldDiff]:
    """The changed texts between two revisions (`older` None: everything is new)."""
    diffs = []
    for field, label in FIELD_LABELS.items():
        before = getattr(older, field, "") if older is not None else ""
        after = getattr(newer, field)
        if before == after:
            continue
        lines = []
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                lines.append(DiffLine("hunk", line))
            elif line.startswith("+"):
                lines.append(DiffLine("added", line[1:]))
            elif line.startswith("-"):
                lines.append(DiffLine("removed", line[1:]))
            else:
                lines.append(DiffLine("context", line[1:]))
        diffs.append(FieldDiff(label=str(label), lines=lines))
    return diffs


def history_with_diffs(revisions: list) -> list[dict]:
    """Newest first, each revision with its changes against the one before."""
    ordered = sorted(revisions, key=lambda revision: revision.number)
    rows = []
    previous = None
    for revision in ordered:
        rows.append({"revision": revision, "diffs": revision_diff(previous, revision)})
        previous = revision
    return list(reversed(rows))
