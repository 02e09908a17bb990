"""The representative's "Download draft as PDF": the forms completed so far, every page marked
"DRAFT — NOT SUBMITTED", through the application's door, for drafts only."""

import time

import pypdfium2
import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from applications.models import ProgramIntake
from tests import factories
from tests.applications.submission_helpers import complete_profiles, make_ready
from tests.forms_imm.helpers import TODAY

pytestmark = pytest.mark.django_db


def url(application, language="en"):
    return f"/{language}" + reverse("applications:draft_pdf", args=[application.public_id])[3:]


def pages_text(content: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(content)
    return [page.get_textpage().get_text_range() for page in pdf]


def test_the_draft_pdf_marks_every_page_and_holds_the_forms_so_far(rep_a, application_a):
    with time_machine.travel(TODAY, tick=True):
        make_ready(rep_a, application_a)
        started = time.perf_counter()
        response = rep_a.get(url(application_a))
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    pages = pages_text(response.content)
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert "DRAFT — NOT SUBMITTED" in text, f"page {number} has no draft mark"
    text = "".join(pages)
    assert "Draft application — not submitted" in text
    assert "CANARY-A-Family" in text and "Spouse" in text
    for form in ("IMM 0008", "IMM 5669", "IMM 5406"):
        assert form in text, form
    # A generous bound that only catches a hang; the measured time is in docs/staff.md.
    assert elapsed < 60
    audit = AuditEvent.objects.get(action="application.draft_downloaded")
    assert audit.actor == application_a.representative.user
    assert audit.object_id == application_a.public_id


def test_an_empty_draft_says_which_forms_are_incomplete(rep_a, application_a):
    complete_profiles(application_a)
    text = "".join(pages_text(rep_a.get(url(application_a)).content))
    assert "some sections of this form are not complete yet" in text
    assert "DRAFT — NOT SUBMITTED" in text


def test_the_draft_pdf_is_in_french_from_the_french_page(rep_a, application_a):
    response = rep_a.get(url(application_a, "fr"))
    assert response.status_code == 200
    for text in pages_text(response.content):
        assert "ÉBAUCHE — NON SOUMISE" in text


def test_the_draft_pdf_works_when_the_program_is_closed(rep_a, application_a):
    ProgramIntake.objects.filter(program=application_a.program).update(state="closed")
    assert rep_a.get(url(application_a)).status_code == 200


def test_only_the_representative_of_the_draft_gets_it(
    rep_b, client_a, staff, anon, application_a, application_b
):
    assert rep_b.get(url(application_a)).status_code == 404
    assert client_a.get(url(application_a)).status_code == 404
    assert staff.get(url(application_a)).status_code == 404
    assert anon.get(url(application_a)).status_code == 302
    assert rep_b.post(url(application_b)).status_code == 405


def test_a_submitted_application_has_no_draft_pdf(rep_a, rep_a_user):
    submitted = factories.make_application(
        representative=rep_a_user.representative, status="submitted",
        application_number="F000000001",
    )  # fmt: skip
    assert rep_a.get(url(submitted)).status_code == 409
    assert not AuditEvent.objects.filter(action="application.draft_downloaded").exists()
