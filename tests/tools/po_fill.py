"""Fill locale/fr/LC_MESSAGES/django.po from PO fragments (translations written elsewhere).

Usage: python -m tests.tools.po_fill FRAGMENT.po [FRAGMENT.po ...]
Only empty or fuzzy entries are filled; prints what is still untranslated.
"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[2] / "locale/fr/LC_MESSAGES/django.po"


def main(paths: list[str]) -> int:
    catalogue = polib.pofile(str(PO), wrapwidth=79)
    known = {}
    for path in paths:
        for entry in polib.pofile(path):
            if entry.msgstr or entry.msgstr_plural:
                known[(entry.msgctxt, entry.msgid)] = entry
    filled = 0
    for entry in catalogue:
        source = known.get((entry.msgctxt, entry.msgid))
        if source and (not entry.translated() or entry.fuzzy):
            entry.msgstr = source.msgstr
            if entry.msgid_plural:
                entry.msgstr_plural = dict(source.msgstr_plural)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            filled += 1
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  " + msgid[:100])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
