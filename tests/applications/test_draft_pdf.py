"""The representative's "Download draft as PDF": queued on the pdf queue, the forms completed
so far, every page marked "DRAFT — NOT SUBMITTED", through the application's door, drafts only."""

from unittest import mock

import pypdfium2
import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent
from applications import package
from applications.models import DraftExport, ProgramIntake
from tests import factories
from tests.applications.submission_helpers import complete_profiles, make_ready
from tests.forms_imm.helpers import TODAY

pytestmark = pytest.mark.django_db


def url(application, name="draft_pdf", language="en"):
    path = reverse(f"applications:{name}", args=[application.public_id])
    return f"/{language}/" + path.split("/", 2)[2]


def pages_text(content: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(content)
    return [page.get_textpage().get_text_range() for page in pdf]


def export_pdf(client, application, capture, language="en") -> bytes:
    """Ask for the PDF (the task runs after commit, eagerly in tests), then download it."""
    with capture(execute=True):
        response = client.post(url(application, language=language))
    assert response.status_code == 302
    assert response["Location"] == url(application, language=language)
    page = client.get(url(application, language=language))
    assert 'data-testid="draft-export-status"' in page.content.decode()
    download = client.get(url(application, "draft_pdf_download", language))
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def test_the_draft_pdf_marks_every_page_and_holds_the_forms_so_far(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=True):
        make_ready(rep_a, application_a)
        content = export_pdf(rep_a, application_a, django_capture_on_commit_callbacks)
    pages = pages_text(content)
    assert len(pages) > 3
    for number, text in enumerate(pages, start=1):
        assert "DRAFT — NOT SUBMITTED" in text, f"page {number} has no draft mark"
    text = "".join(pages)
    assert "Draft application — not submitted" in text
    assert "CANARY-A-Family" in text and "Spouse" in text
    for form in ("IMM 0008", "IMM 5669", "IMM 5406"):
        assert form in text, form
    export = DraftExport.objects.get()
    assert export.status == "ready" and export.file.purpose == "draft_export"
    audit = AuditEvent.objects.get(action="application.draft_downloaded")
    assert audit.actor == application_a.representative.user
    assert audit.object_id == application_a.public_id


def test_the_page_says_when_the_pdf_is_still_being_prepared(rep_a, application_a):
    assert "No PDF has been prepared yet." in rep_a.get(url(application_a)).content.decode()
    assert rep_a.get(url(application_a, "draft_pdf_download")).status_code == 404
    rep_a.post(url(application_a))  # on_commit does not run here: the task is not published
    rep_a.post(url(application_a))  # a second click shows the same export
    assert DraftExport.objects.get().status == "pending"
    html = rep_a.get(url(application_a)).content.decode()
    assert "The PDF is being prepared." in html
    assert rep_a.get(url(application_a, "draft_pdf_download")).status_code == 404


def test_a_lost_or_failed_render_is_published_again_and_stored_once(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    from celery.exceptions import Retry

    from applications.tasks import draft_export_pdf_task, draft_export_sweep_task

    rep_a.post(url(application_a))
    export = DraftExport.objects.get()
    with (
        mock.patch.object(package, "draft_render", side_effect=RuntimeError("boom")),
        pytest.raises(Retry),
    ):
        draft_export_pdf_task.apply(args=(export.pk,))
    export.refresh_from_db()
    assert export.status == "failed" and export.file is None
    assert package.pending_draft_exports() == []  # a minute's grace for its own retry
    with time_machine.travel(export.requested_at.timestamp() + 120):
        assert package.pending_draft_exports() == [export.pk]
        assert draft_export_sweep_task.apply().get() == 1
    export.refresh_from_db()
    assert export.status == "ready"
    assert package.draft_export_build(export_id=export.pk) == "exists"


def test_an_empty_draft_says_which_forms_are_incomplete(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    complete_profiles(application_a)
    text = "".join(pages_text(export_pdf(rep_a, application_a, django_capture_on_commit_callbacks)))
    assert "some sections of this form are not complete yet" in text
    assert "DRAFT — NOT SUBMITTED" in text


def test_the_draft_pdf_is_in_french_when_asked_from_the_french_page(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    content = export_pdf(rep_a, application_a, django_capture_on_commit_callbacks, "fr")
    for text in pages_text(content):
        assert "ÉBAUCHE — NON SOUMISE" in text


def test_the_draft_pdf_works_when_the_program_is_closed(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    ProgramIntake.objects.filter(program=application_a.program).update(state="closed")
    assert export_pdf(rep_a, application_a, django_capture_on_commit_callbacks)[:5] == b"%PDF-"


def test_only_the_representative_of_the_draft_gets_it(
    rep_b, client_a, staff, anon, application_a, application_b
):
    for name in ("draft_pdf", "draft_pdf_download"):
        assert rep_b.get(url(application_a, name)).status_code == 404
        assert client_a.get(url(application_a, name)).status_code == 404
        assert staff.get(url(application_a, name)).status_code == 404
        assert anon.get(url(application_a, name)).status_code == 302
    for client in (rep_b, client_a, staff):
        assert client.post(url(application_a)).status_code == 404
    assert rep_b.post(url(application_b, "draft_pdf_download")).status_code == 405
    assert not DraftExport.objects.filter(application=application_a).exists()


def test_a_submitted_application_has_no_draft_pdf(rep_a, rep_a_user):
    submitted = factories.make_application(
        representative=rep_a_user.representative, status="submitted",
        application_number="F000000001",
    )  # fmt: skip
    assert rep_a.get(url(submitted)).status_code == 409
    assert rep_a.post(url(submitted)).status_code == 409
    assert rep_a.get(url(submitted, "draft_pdf_download")).status_code == 409
    assert not DraftExport.objects.exists()


def test_erasing_the_applications_uploads_erases_their_draft_pdfs(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    """Client account deletion (clients.services.client_account_delete) erases uploads with
    application_documents_erase; a draft PDF holds the same personal data."""
    from django.core.files.storage import default_storage

    from accounts.models import StoredFile
    from applications.services import application_documents_erase

    export_pdf(rep_a, application_a, django_capture_on_commit_callbacks)
    stored = DraftExport.objects.get().file
    assert default_storage.exists(stored.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        application_documents_erase(application_ids=[application_a.pk])
    assert not DraftExport.objects.exists()
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not default_storage.exists(stored.file.name)
