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


# --- clients and applications (issue 4) ---------------------------------------------------------


def make_client(*, user=None, email=None, activated=False, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from clients.models import Client

    user = user or make_user(role=User.Role.CLIENT, email=email, password=None)
    now = timezone.now()
    defaults = {
        "temporary_password_sent_at": now,
        "temporary_password_expires_at": now + timedelta(hours=72),
        "activated_at": now if activated else None,
    }
    return Client.objects.create(user=user, **{**defaults, **extra})


def make_application(
    *,
    representative=None,
    client=None,
    program=None,
    family_name="Doe",
    given_names="Jane",
    **extra,
):
    """A draft with its PA profile, as application_create leaves it (without the emails)."""
    from applications.models import Application, Person, Program

    representative = representative or make_representative()
    client = client or make_client()
    program = program or Program.objects.get(code="family_spouse_partner_child")
    application = Application.objects.create(
        representative=representative, client=client, program=program, **extra
    )
    pa = Person.objects.create(
        application=application,
        role=Person.Role.PRINCIPAL,
        family_name=family_name,
        given_names=given_names,
        email=client.user.email,
    )
    Application.objects.filter(pk=application.pk).update(principal_applicant=pa)
    application.principal_applicant = pa
    return application


def make_person(*, application, relationship="02", family_name="Doe", **fields):
    from applications.models import Person

    return Person.objects.create(
        application=application,
        role=Person.ROLE_OF_RELATIONSHIP[relationship],
        relationship=relationship,
        family_name=family_name,
        **fields,
    )
