"""Seed the benchmark database: one representative with 10,000 applications (bulk inserts).

Idempotent: a representative who already has the requested number of applications is left
alone. Runs against its own database (``bench.env.DATABASE_URL``), never the development or
test one. Usage: ``python -m bench.seed [--count 10000]`` (``make bench`` calls it).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta

from bench import env

BATCH = 2000
# Django's marker for "no usable password": seeded clients cannot sign in.
UNUSABLE_PASSWORD = "!"  # noqa: S105
BENCH_REP = "bench-rep-a@example.test"
OTHER_REP = "bench-rep-b@example.test"
FAMILY = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie",
          "Fortin", "Singh", "Nguyen", "Wang", "Smith", "Garcia", "Okafor", "Haddad", "Kim",
          "Patel", "Martin", "O'Brien"]  # fmt: skip
GIVEN = ["Marie", "Jean", "Aisha", "Wei", "Olivia", "Noah", "Priya", "Luca", "Fatima", "Amir",
         "Chloé", "Émile", "Sofia", "Mateo", "Yuki", "Kwame", "Léa", "Omar"]  # fmt: skip
STATUS_WEIGHTS = {
    "draft": 40, "awaiting_client_signature": 10, "client_signed": 5, "rep_declared": 3,
    "submitted": 8, "completeness_check": 6, "returned_incomplete": 4, "returned_other": 2,
    "accepted": 8, "in_process": 8, "approved": 4, "refused": 1, "withdrawn": 1,
}  # fmt: skip


def setup_django() -> None:
    env.apply()
    import django

    django.setup()


def ensure_database() -> None:
    """Create the bench database if needed, then migrate it."""
    import psycopg

    name = env.DATABASE_NAME
    with psycopg.connect(env.ADMIN_URL, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def representative(email: str):
    from django.utils import timezone

    from accounts.models import User
    from representatives.models import Representative

    user, _ = User.objects.get_or_create(email=email, defaults={"role": User.Role.REPRESENTATIVE})
    rep, _ = Representative.objects.get_or_create(
        user=user,
        defaults={
            "status": "verified",
            "verified_at": timezone.now(),
            "full_name": "Bench Representative",
        },
    )
    return rep


def seed(rep, count: int, *, seed_value: int) -> int:
    """Add applications until ``rep`` has ``count``; returns how many were added."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from applications.models import Application, Person, Program
    from clients.models import Client

    have = Application.objects.filter(representative=rep).count()
    missing = count - have
    if missing <= 0:
        return 0
    rng = random.Random(seed_value + have)
    programs = list(Program.objects.values_list("id", flat=True))
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    now = timezone.now()
    tag = f"{rep.pk}-{have}"
    added = 0
    while added < missing:
        size = min(BATCH, missing - added)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"bench-client-{tag}-{added + i}@example.test",
                        role="client",
                        password=UNUSABLE_PASSWORD,
                    )
                    for i in range(size)
                ]
            )
            clients = Client.objects.bulk_create(
                [
                    Client(
                        user=user,
                        temporary_password_sent_at=now - timedelta(days=rng.randint(0, 30)),
                        temporary_password_expires_at=now + timedelta(hours=rng.randint(-400, 72)),
                        activated_at=now if rng.random() < 0.5 else None,
                    )
                    for user in users
                ]
            )
            applications = []
            for client in clients:
                updated = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                total = rng.randint(6, 20)
                applications.append(
                    Application(
                        representative=rep,
                        client=client,
                        program_id=rng.choice(programs),
                        status=rng.choices(statuses, weights)[0],
                        status_changed_at=updated,
                        tasks_total=total,
                        tasks_done=rng.randint(0, total),
                        created_at=updated - timedelta(days=rng.randint(0, 90)),
                        updated_at=updated,
                        program_details={"note": "bench"},
                    )
                )
            applications = Application.objects.bulk_create(applications)
            people = []
            for application in applications:
                family = rng.choice(FAMILY)
                people.append(
                    Person(
                        application=application,
                        role="pa",
                        family_name=family,
                        given_names=rng.choice(GIVEN),
                        sex=rng.choice("FMX"),
                        date_of_birth=now.date() - timedelta(days=rng.randint(18 * 365, 70 * 365)),
                        birth_country="FR",
                        citizenship_1="FR",
                        marital_status=rng.choice(["01", "02", "03"]),
                        correspondence_language=rng.choice(["en", "fr"]),
                    )
                )
                for relationship in rng.choice([(), ("10",), ("10", "02"), ("10", "02", "02")]):
                    people.append(
                        Person(
                            application=application,
                            role=Person.ROLE_OF_RELATIONSHIP[relationship],
                            relationship=relationship,
                            family_name=family,
                            given_names=rng.choice(GIVEN),
                            date_of_birth=now.date() - timedelta(days=rng.randint(365, 50 * 365)),
                            accompanying=True,
                        )
                    )
            Person.objects.bulk_create(people, batch_size=BATCH)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE applications_application a SET principal_applicant_id = p.id "
                    "FROM applications_person p WHERE p.application_id = a.id AND p.role = 'pa' "
                    "AND a.principal_applicant_id IS NULL AND a.representative_id = %s",
                    [rep.pk],
                )
        added += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return added


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--other", type=int, default=1_000, help="applications of a second rep")
    args = parser.parse_args(argv)
    setup_django()
    ensure_database()
    started = time.monotonic()
    added = seed(representative(BENCH_REP), args.count, seed_value=1)
    added += seed(representative(OTHER_REP), args.other, seed_value=2)
    elapsed = time.monotonic() - started
    print(f"seeded {added} applications in {elapsed:.1f} s (database {env.DATABASE_NAME})")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.exit(main())
