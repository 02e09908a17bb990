"""Password rules beyond Django's (QUALITY.md §2): no composition rules, only refusals of
passwords an attacker would try early."""

import re
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-_.]+")
_PADDING = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_REPEATED_UNIT = re.compile(r"^(.+?)\1+$")
# Common letter swaps; "1" stands for both "i" and "l", so both readings are tried.
_LEET = str.maketrans({"@": "a", "4": "a", "3": "e", "0": "o", "$": "s", "5": "s", "7": "t"})


def _readings(password: str) -> set[str]:
    """The forms of a password worth looking up in a list of common ones.

    Lower-cased; without separators; without leading and trailing digits and symbols; and
    each of those with common letter swaps undone ("p@ssw0rd" reads as "password").
    """
    plain = password.lower().strip()
    compact = _SEPARATORS.sub("", plain)
    base = {plain, compact, _PADDING.sub("", compact)}
    readings = set(base)
    for reading in base:
        for letter in ("i", "l"):
            swapped = reading.translate(_LEET).replace("1", letter)
            readings.update({swapped, _PADDING.sub("", swapped)})
    return {reading for reading in readings if len(reading) >= 4}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's validator with a larger bundled list and a few normalisations.

    See accounts/data/README.md for what the list holds and what "larger" means.
    """

    DEFAULT_PASSWORD_LIST_PATH = (
        Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
    )

    def validate(self, password, user=None):
        if self.passwords & _readings(password) or _REPEATED_UNIT.match(
            _SEPARATORS.sub("", password.lower())
        ):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self):
        return _(
            "This password is too common or too easy to guess. Try a passphrase of three or "
            "four unrelated words."
        )


class ContextWordsValidator:
    """Refuse passwords built on words an attacker would try first for this portal."""

    words = ("prportal", "portal", "ircc", "canada", "immigration", "residence", "resident")

    def _words_for(self, user) -> list[str]:
        words = list(self.words)
        email = (getattr(user, "email", "") or "").lower()
        local, _at, domain = email.partition("@")
        if len(local) >= 4:
            words.append(local)
        label = domain.split(".")[0]
        if len(label) >= 4:
            words.append(label)
        return words

    def validate(self, password, user=None):
        compact = _SEPARATORS.sub("", password.lower())
        readings = {compact, compact.translate(_LEET).replace("1", "i")}
        for word in self._words_for(user):
            word = _SEPARATORS.sub("", word)
            # Refused when the word is most of the password: fewer than 8 other characters.
            if word and any(word in r for r in readings) and len(compact) - len(word) < 8:
                raise ValidationError(
                    _("This password is too close to a word people guess first, like “%(word)s”."),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self):
        return _("Your password can’t be built around the portal’s name or your email address.")
