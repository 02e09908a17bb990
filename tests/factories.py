"""make_* helpers: one per model, with canary-friendly defaults. Later issues add theirs here."""

import itertools
import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import User
from representatives.models import Representative

PASSWORD = "correct horse battery staple 42"
_counter = itertools.count(1)


def make_user(*, role=User.Role.REPRESENTATIVE, email=None, password=PASSWORD, **extra) -> User:
    n = next(_counter)
    return User.objects.create_user(
        email=email or f"{role}-{n}@example.test", password=password, role=role, **extra
    )


def make_representative(
    *, status=Representative.Status.VERIFIED, email=None, full_name=None, **extra
) -> Representative:
    user = make_user(role=User.Role.REPRESENTATIVE, email=email)
    return Representative.objects.create(
        user=user, status=status, full_name=full_name or f"Rep {user.pk}", **extra
    )


def make_staff(*, superuser=False, email=None) -> User:
    if superuser:
        return User.objects.create_superuser(
            email=email or f"root-{next(_counter)}@example.test", password=PASSWORD
        )
    return make_user(role=User.Role.STAFF, email=email, is_staff=True)


def make_totp(user: User, *, secret: str | None = None):
    """Enrol ``user`` in TOTP with recovery codes, as allauth does: (authenticator, secret)."""
    secret = secret or generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    RecoveryCodes.activate(user)
    return authenticator, secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app would show now (or at ``at``)."""
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))
