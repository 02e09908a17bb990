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
        self._verified_profile(rep_user, staff)
        self.stdout.write(
            "Demo accounts (development only; they may skip MFA enrolment):\n"
            f"  representative: rep@demo.test / {DEMO_PASSWORD}\n"
            f"  staff (admin at /en/{settings.ADMIN_URL_PATH}): staff@demo.test / {DEMO_PASSWORD}\n"
        )

    def _verified_profile(self, rep_user, staff):
        """Give the demo representative a complete profile, verified by the demo staff member,
        through the same services (history, audit, emails) a real verification uses."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from applications.uploads import UploadField
        from representatives.models import MembershipBody
        from representatives.services import (
            representative_submit_profile,
            representative_verify,
        )

        representative = Representative.objects.filter(user=rep_user).first()
        if representative is not None and not representative.is_editable:
            return  # already verified (demo_data runs at every `make run`)
        representative = representative or Representative(user=rep_user)
        upload = SimpleUploadedFile("demo-passport.png", _demo_png(), content_type="image/png")
        checked = UploadField(allowed_kinds={"pdf", "jpeg", "png"}).clean(upload)
        representative_submit_profile(
            representative=representative,
            data={
                "full_name": "Dana Demo",
                "rep_type": Representative.Type.CONSULTANT,
                "membership_body": MembershipBody.objects.get(code="cicc"),
                "membership_id": "R999999",
                "firm_name": "Demo Immigration Services",
                "address_street": "123 Demo Street",
                "address_unit": "Suite 400",
                "address_city": "Ottawa",
                "address_province": "ON",
                "address_postal_code": "K1A 0B1",
                "address_country": "CA",
                "phone": "16135550199",
                "id_document_type": "passport",
            },
            id_upload=checked,
            actor=rep_user,
        )
        representative_verify(representative=Representative.objects.get(user=rep_user), actor=staff)


def _demo_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 600), (232, 238, 243))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 560), outline=(11, 79, 108), width=6)
    draw.text((80, 80), "DEMO PASSPORT - NOT A REAL DOCUMENT", fill=(11, 79, 108))
    draw.text((80, 140), "Dana Demo", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
