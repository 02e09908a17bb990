"""An approved application with people becoming permanent residents, and a checked photo."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from applications import staff
from applications.models import Application
from applications.pr_confirmation import PHOTO_KINDS, PHOTO_MIN_HEIGHT, PHOTO_MIN_WIDTH
from applications.uploads import upload_check
from tests import factories
from tests.staff.helpers import SUPERVISOR, make_staff_in

ADDRESS = {
    "address_line": "24 Sussex Drive",
    "address_unit": "",
    "city": "Ottawa",
    "province": "ON",
    "postal_code": "K1M 1M4",
}


def active_client():
    """A client who chose their own password (the portal's pages are open to them)."""
    return factories.make_client(user=factories.make_user(role="client"), activated=True)


def approved_application(*, dependants: int = 1, client=None, number="F000000042"):
    """An application approved by a supervisor: the PA and ``dependants`` accompanying
    children, plus one non-accompanying child who does not become a PR."""
    application = factories.make_application(
        status=Application.Status.IN_PROCESS,
        application_number=number,
        client=client or active_client(),
        family_name="Tremblay",
        given_names="Amina",
    )
    pa = application.principal_applicant
    pa.date_of_birth = date(1990, 4, 2)
    pa.uci = "1234567890"
    pa.save()
    for number in range(dependants):
        factories.make_person(
            application=application,
            relationship="02",
            family_name="Tremblay",
            given_names=f"Child{number}",
            accompanying=True,
        )
    factories.make_person(
        application=application,
        relationship="02",
        family_name="Tremblay",
        given_names="Stays",
        accompanying=False,
    )
    supervisor = make_staff_in(SUPERVISOR)
    staff.staff_action(application=application, code="approve", actor=supervisor)
    application.refresh_from_db()
    return application, supervisor


def photo(width=600, height=800, name="photo.png"):
    return upload_check(
        SimpleUploadedFile(name, factories.png_bytes(width, height)),
        allowed_kinds=PHOTO_KINDS,
        min_width=PHOTO_MIN_WIDTH,
        min_height=PHOTO_MIN_HEIGHT,
    )
