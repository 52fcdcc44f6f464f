#!/usr/bin/env python
"""Fill German translations into locale/de/LC_MESSAGES/django.po.

Reads a JSON object {msgid: msgstr} on standard input (for plural entries, msgstr is a list
[singular, plural]); entries with a msgctxt are written "context\\x04msgid". Clears the fuzzy
flag of each filled entry and prints the msgids that are still untranslated. Run
`make makemessages` first and `manage.py compilemessages` after.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "de" / "LC_MESSAGES" / "django.po"


def main() -> int:
    mapping = json.load(sys.stdin)
    catalogue = polib.pofile(str(PO), wrapwidth=100)
    for entry in catalogue:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in mapping:
            continue
        value = mapping[key]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
    catalogue.save()
    missing = [e.msgid for e in catalogue if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
