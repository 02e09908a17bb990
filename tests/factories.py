"""make_* helpers: one per model, with canary-friendly defaults. Later issues add theirs here."""

import itertools

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
