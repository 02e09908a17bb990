"""Password policy (QUALITY.md §2): at least 12 characters, no composition rules; common,
numeric, similar and context-word passwords refused; a bundled list larger than Django's."""

import gzip
from pathlib import Path

import django
import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from accounts.validators import CommonPasswordValidator

USER = User(email="jdupont@smithlaw.ca")


def codes(password, user=USER):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    "password",
    [
        "maple syrup on snowy tuesdays",
        "correct horse battery staple 42",
        "x9$kLm2!Qw7z",
        "tree 7 blue house 9",
        "toutes les pommes sont vertes",
        "all lowercase, no digits",
        "a" + "b7c" * 30,  # long passwords are welcome
    ],
)
def test_passphrases_of_12_or_more_characters_are_accepted(password):
    assert codes(password) == set()


def test_eleven_characters_are_refused_and_twelve_are_not():
    assert "password_too_short" in codes("blue hat 7x")
    assert codes("blue hat 7x!") == set()


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password1234",
        "qwertyuiop12",
        "1q2w3e4r5t6y",
        "azertyuiop12",
        "Sunshine2024!!",
        "p@ssw0rd12345",
        "jennifer1990!!",
        "abcabcabcabc",
        "monkeymonkey",
        "motdepasse123",
        "iloveyou12345",
    ],
)
def test_common_passwords_and_their_usual_disguises_are_refused(password):
    assert "password_too_common" in codes(password)


@pytest.mark.parametrize(
    "password", ["canada123456", "C@nada2024!!", "ircc-portal-1", "jdupont12345", "smithlaw2024!"]
)
def test_context_words_are_refused(password):
    assert "password_context_word" in codes(password)


def test_a_context_word_inside_a_long_passphrase_is_fine():
    assert codes("we moved to canada in the spring") == set()


def test_numeric_passwords_are_refused():
    assert "password_entirely_numeric" in codes("314159265358979")


def test_common_password_message_suggests_a_passphrase():
    # English explicitly: an earlier /fr/ request in the same worker leaves French active.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        CommonPasswordValidator().validate("password1234")
    assert "passphrase" in error.value.messages[0]


def test_the_bundled_list_is_larger_than_djangos_and_contains_it():
    ours = CommonPasswordValidator().passwords
    djangos_file = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"
    djangos = set(gzip.decompress(djangos_file.read_bytes()).decode().split())
    assert len(ours) > 100_000
    assert djangos <= ours
    assert len(ours) > 5 * len(djangos)
