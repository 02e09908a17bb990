"""Turn a JSON object {msgid: French} into a PO fragment.

Usage: python -m tests.tools.json_to_po IN.json OUT.po
"""

import json
import sys

import polib


def main(source: str, target: str) -> int:
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for msgid, msgstr in json.loads(open(source, encoding="utf-8").read()).items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.save(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
