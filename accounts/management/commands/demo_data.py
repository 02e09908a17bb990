from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from representatives.models import Representative

DEMO_PASSWORD = "demo-portal-password-2026"  # noqa: S105  (development demo accounts only)


class Command(BaseCommand):
    help = (
        "Create the demo accounts used by `make run` (development only) and print how to sign in."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            self.stderr.write("demo_data only runs with DEBUG on; nothing was created.")
            return
        rep_user, created = User.objects.get_or_create(
            email="rep@demo.test",
            defaults={"role": User.Role.REPRESENTATIVE, "is_demo": True},
        )
        if created:
            rep_user.set_password(DEMO_PASSWORD)
            rep_user.save(update_fields=["password"])
        Representative.objects.get_or_create(
            user=rep_user,
            defaults={"status": Representative.Status.VERIFIED, "full_name": "Dana Demo"},
        )
        staff, created = User.objects.get_or_create(
            email="staff@demo.test",
            defaults={
                "role": User.Role.STAFF,
                "is_staff": True,
                "is_superuser": True,
                "is_demo": True,
            },
        )
        if created:
            staff.set_password(DEMO_PASSWORD)
            staff.save(update_fields=["password"])
        for user in (rep_user, staff):
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            "Demo accounts (development only; they may skip MFA enrolment):\n"
            f"  representative: rep@demo.test / {DEMO_PASSWORD}\n"
            f"  staff (admin at /en/{settings.ADMIN_URL_PATH}): staff@demo.test / {DEMO_PASSWORD}\n"
        )
