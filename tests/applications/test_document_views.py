"""Document pages: list, upload and replace, further files, delete, preview and download.

Per view: the happy path with its history and audit rows, the wrong method (405), the wrong
persona (404 for another representative and for clients, sign-in for anonymous visitors), the
wrong state (409 with nothing written) and invalid input (200, the error next to the slot,
nothing stored, what was typed kept).
"""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import translation
from PIL import Image

from accounts.models import AuditEvent, StoredFile
from applications.documents import document_slots, find_slot, slot_key
from applications.models import Application, ApplicationEvent, Document
from tests import factories
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen():
    noon = datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("America/Toronto"))
    with time_machine.travel(noon, tick=False):
        yield


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.public_id, *args])


def pa_slot(application, code):
    return slot_key(code, application.principal_applicant)


def pdf(name="scan.pdf", pages=1):
    return SimpleUploadedFile(name, corpus.pdf_bytes(corpus.new_pdf(pages)))


def jpeg(name="photo.jpg", size=(480, 600)):
    return SimpleUploadedFile(name, corpus.image_bytes(corpus.noise_image(*size), "JPEG"))


def stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def current(application, key):
    return Document.objects.filter(application=application, slot_key=key, state="current").first()


# --- the documents page -------------------------------------------------------------------------


def test_the_documents_page_lists_slots_by_person_with_text_states(rep_a, application_a):
    spouse = factories.make_person(
        application=application_a, relationship="10", family_name="Tremblay", given_names="Luc"
    )
    factories.make_document(application=application_a, person=application_a.principal_applicant)
    response = rep_a.get(url("documents", application_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "For the whole application" in body
    assert "Principal applicant: CANARY-A-Given CANARY-A-Family" in body
    assert "Luc Tremblay (Spouse or common-law partner)" in body
    assert f'id="slot-passport--{spouse.public_id}"' in body
    assert 'data-state="uploaded">Uploaded</span>' in body
    assert 'data-state="missing">Missing</span>' in body
    assert "Hand signature required" in body and "From guide IMM 5289" in body
    assert "Additional supporting documents" in body
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


def test_the_documents_page_shows_the_fee_due_beside_the_receipt_slot(rep_a, application_a):
    response = rep_a.get(url("documents", application_a))
    body = response.content.decode()
    # Family program at 2026 rates: sponsored PA 570 + sponsorship 85 due now; RPRF 600 later.
    assert "Due now: $655.00" in body
    assert 'data-testid="fee-required">$655.00' in body
    assert 'data-testid="fee-maximum">$1,255.00' in body


def test_the_detail_page_links_to_the_documents_and_lists_the_document_tasks(rep_a, application_a):
    response = rep_a.get(url("detail", application_a))
    body = response.content.decode()
    assert url("documents", application_a) in body
    assert f'data-task="document:{pa_slot(application_a, "passport")}"' in body
    assert "Check whether needed" in body


def test_the_documents_page_query_count_does_not_grow_with_documents(rep_a):
    counts = []
    rep_a.get(reverse("applications:dashboard"))  # the first request of a session does more
    for n in (1, 25):
        application = factories.make_application(representative=rep_a_user_of(rep_a))
        slots = [s for s in document_slots(application) if s.item is not None]
        for i in range(n):
            slot = slots[i % len(slots)]
            factories.make_document(
                application=application,
                item_code=slot.item.code,
                person=slot.person,
                state="current" if i < len(slots) else "replaced",
                receipt_amount=Decimal("10.00") if slot.is_fee_receipt else None,
            )
        assert Document.objects.filter(application=application).count() == n
        with CaptureQueriesContext(connection) as context:
            response = rep_a.get(url("documents", application))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
    # The page itself: application, people, checklist, documents with their files, fee rules;
    # the rest is the signed-in baseline (session, user, user session, MFA, representative).
    assert counts[0] <= 15


def rep_a_user_of(client):
    from accounts.models import User

    return User.objects.get(pk=client.session["_auth_user_id"]).representative


# --- upload -------------------------------------------------------------------------------------


def test_an_upload_is_stored_under_the_convention_name_with_history_and_audit(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    before = Application.objects.get(pk=application_a.pk).tasks_done
    response = rep_a.post(url("document_upload", application_a, key), {"file": pdf("My scan.pdf")})

    assert response.status_code == 302
    assert response["Location"] == f"{url('documents', application_a)}#slot-{key}"
    document = current(application_a, key)
    assert document.display_name == (
        "CANARY-A-Family – CANARY-A-Given – Passport or travel document (copy) – 1.pdf"
    )
    assert document.person == application_a.principal_applicant
    assert document.file.display_name == "My scan.pdf"  # the original name, as metadata
    assert (
        document.file.file.name.startswith("documents/") and "scan" not in document.file.file.name
    )
    event = application_a.events.get(action=ApplicationEvent.Action.DOCUMENT_UPLOADED)
    assert event.person_public_id == application_a.principal_applicant.public_id
    assert event.reason == "passport"
    assert AuditEvent.objects.filter(action="document.uploaded", object_id=document.public_id)
    assert Application.objects.get(pk=application_a.pk).tasks_done == before + 1
    page = rep_a.get(response["Location"]).content.decode()
    assert "Uploaded: Passport or travel document (copy)" in page


def test_the_upload_script_gets_204_and_where_to_go(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    response = rep_a.post(
        url("document_upload", application_a, key), {"file": pdf()}, headers={"X-Upload": "1"}
    )
    assert response.status_code == 204
    assert response["X-Redirect"].endswith(f"#slot-{key}")
    assert current(application_a, key) is not None


def test_the_upload_page_tells_the_browser_the_limits(rep_a, application_a):
    response = rep_a.get(url("document_upload", application_a, pa_slot(application_a, "photo")))
    body = response.content.decode()
    assert 'accept=".jpg,.jpeg,.png"' in body
    assert 'data-max-bytes="4000000"' in body
    assert 'data-too-large-message="The file must be 4 MB or smaller."' in body
    assert 'data-type-message="The file must be one of these types: JPG, PNG."' in body
    assert "at least 420 × 540 pixels" in body
    assert 'enctype="multipart/form-data"' in body and "js/uploads.js" in body
    assert '<progress id="upload-progress-bar"' in body and 'aria-live="polite"' in body


def test_an_invalid_upload_keeps_the_page_with_the_error_next_to_the_slot(rep_a, application_a):
    response = rep_a.post(
        url("document_upload", application_a, "fee_receipt"),
        {"file": SimpleUploadedFile("receipt.pdf", corpus.EXECUTABLE), "receipt_amount": "655"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("file", "type_mismatch")
    body = response.content.decode()
    assert "There is a problem" in body
    assert "not a real PDF file" in body
    assert 'aria-invalid="true"' in body
    assert 'value="655"' in body  # what was typed is kept
    assert not Document.objects.exists() and not StoredFile.objects.exists()
    assert stored_files() == []
    assert AuditEvent.objects.filter(action="file.rejected", reason="type_mismatch").exists()


def test_choosing_no_file_is_an_error_not_a_crash(rep_a, application_a):
    response = rep_a.post(url("document_upload", application_a, pa_slot(application_a, "passport")))
    assert response.status_code == 200
    assert response.context["form"].has_error("file", "required")


def test_replacing_needs_a_confirmation_and_keeps_the_old_file_in_the_history(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    old = factories.make_document(
        application=application_a, person=application_a.principal_applicant
    )
    part = factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        state="part",
        part_of=old,
    )
    refused = rep_a.post(url("document_upload", application_a, key), {"file": pdf()})
    assert refused.status_code == 200
    assert refused.context["form"].has_error("replace_confirmed", "required")
    assert current(application_a, key) == old

    response = rep_a.post(
        url("document_upload", application_a, key), {"file": pdf(), "replace_confirmed": "on"}
    )
    assert response.status_code == 302
    new = current(application_a, key)
    old.refresh_from_db()
    part.refresh_from_db()
    assert new != old and old.state == "replaced" and old.replaced_by == new
    assert part.state == "deleted"
    assert application_a.events.filter(action="document.replaced").count() == 1
    slot = find_slot(document_slots(application_a), key)
    assert slot.history == [old] or old in slot.history


def test_a_hand_signed_form_needs_who_signed_and_when(rep_a, application_a):
    key = pa_slot(application_a, "imm5476")
    response = rep_a.post(url("document_upload", application_a, key), {"file": pdf()})
    form = response.context["form"]
    assert form.has_error("signed_by_hand_confirmed", "required")
    assert form.has_error("signature_date", "required")
    assert "applicant and representative" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("signed", "code"),
    [
        ((TODAY - timedelta(days=91)).isoformat(), "signature_stale"),
        ((TODAY + timedelta(days=1)).isoformat(), "signature_future"),
        ("2026-02-30", "invalid"),
    ],
)
def test_imm5476_signed_too_early_or_post_dated_is_refused(rep_a, application_a, signed, code):
    key = pa_slot(application_a, "imm5476")
    response = rep_a.post(
        url("document_upload", application_a, key),
        {"file": pdf(), "signed_by_hand_confirmed": "on", "signature_date": signed},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("signature_date", code)
    assert f'value="{signed}"' in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []


def test_imm5476_signed_90_days_ago_is_accepted_with_its_date(rep_a, application_a):
    key = pa_slot(application_a, "imm5476")
    signed = TODAY - timedelta(days=90)
    response = rep_a.post(
        url("document_upload", application_a, key),
        {
            "file": pdf(),
            "signed_by_hand_confirmed": "on",
            "signature_date": signed.isoformat(),
            "form_version_date": "2024-03-01",
        },
    )
    assert response.status_code == 302
    document = current(application_a, key)
    assert document.signed_by_hand_confirmed and document.signature_date == signed
    assert document.form_version_date == date(2024, 3, 1)
    # Ten days later the same form is stale and the slot needs attention.
    with time_machine.travel(datetime(2026, 12, 5, 12, tzinfo=ZoneInfo("America/Toronto"))):
        slot = find_slot(document_slots(application_a), key)
        assert [p.code for p in slot.problems] == ["signature_stale"]


def test_a_photo_smaller_than_420_by_540_is_refused(rep_a, application_a):
    key = pa_slot(application_a, "photo")
    small = rep_a.post(url("document_upload", application_a, key), {"file": jpeg(size=(419, 540))})
    assert small.context["form"].has_error("file", "image_too_small")
    assert "at least 420 × 540 pixels" in small.content.decode()
    ok = rep_a.post(url("document_upload", application_a, key), {"file": jpeg(size=(420, 540))})
    assert ok.status_code == 302
    assert current(application_a, key).file.width == 420


def test_ircc_forms_with_scripts_are_accepted_and_flagged_only_in_their_slots(rep_a, application_a):
    content = corpus.pdf_with(corpus._open_action_js)
    refused = rep_a.post(
        url("document_upload", application_a, pa_slot(application_a, "passport")),
        {"file": SimpleUploadedFile("form.pdf", content)},
    )
    assert refused.context["form"].has_error("file", "pdf_active_content")
    key = pa_slot(application_a, "imm5475")
    accepted = rep_a.post(
        url("document_upload", application_a, key),
        {"file": SimpleUploadedFile("imm5475.pdf", content)},
    )
    assert accepted.status_code == 302
    document = current(application_a, key)
    assert document.file.flags == ["pdf_active_content"]
    page = rep_a.get(url("documents", application_a)).content.decode()
    assert 'data-problem="pdf_active_content"' in page


def test_a_document_not_in_english_or_french_needs_its_translation(rep_a, application_a):
    key = pa_slot(application_a, "identity_documents")
    missing = rep_a.post(
        url("document_upload", application_a, key),
        {"file": pdf(), "not_in_english_or_french": "on"},
    )
    assert missing.context["form"].has_error("translation", "translation_required")
    assert not Document.objects.exists()
    response = rep_a.post(
        url("document_upload", application_a, key),
        {"file": pdf(), "not_in_english_or_french": "on", "translation": pdf("translation.pdf")},
    )
    assert response.status_code == 302
    document = current(application_a, key)
    assert document.not_in_english_or_french and document.translation_file is not None
    download = rep_a.get(url("document_translation", application_a, document.public_id))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Translation%20%E2%80%93%20Identity" in download["Content-Disposition"]
    assert download["Content-Disposition"].endswith("%E2%80%93%202.pdf")


@pytest.mark.parametrize(
    ("typed", "code"),
    [("", "required"), ("-5", "min_value"), ("abc", "invalid"), ("12.345", "max_decimal_places")],
)
def test_a_fee_receipt_needs_a_sensible_amount(rep_a, application_a, typed, code):
    response = rep_a.post(
        url("document_upload", application_a, "fee_receipt"),
        {"file": pdf(), "receipt_amount": typed},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("receipt_amount", code)
    assert not Document.objects.exists()


def test_a_fee_receipt_amount_can_be_typed_the_french_way(rep_a, application_a):
    french = reverse(
        "applications:document_upload", args=[application_a.public_id, "fee_receipt"]
    ).replace("/en/", "/fr/", 1)
    with translation.override("en"):  # the French request must not leave French active
        response = rep_a.post(french, {"file": pdf(), "receipt_amount": "1290,50"})
    assert response.status_code == 302
    assert current(application_a, "fee_receipt").receipt_amount == Decimal("1290.50")


def test_an_unknown_slot_is_404(rep_a, application_a):
    response = rep_a.get(url("document_upload", application_a, "no-such-slot"))
    assert response.status_code == 404


# --- further files to combine -------------------------------------------------------------------


def test_a_further_file_waits_to_be_combined_and_the_slot_needs_attention(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    main = factories.make_document(
        application=application_a, person=application_a.principal_applicant
    )
    response = rep_a.post(url("document_add_part", application_a, key), {"file": jpeg()})
    assert response.status_code == 302
    (part,) = Document.objects.filter(state="part")
    assert part.part_of == main and part.display_name.endswith(" – 2.jpg")
    slot = find_slot(document_slots(application_a), key)
    assert [p.code for p in slot.problems] == ["parts_waiting"] and not slot.done
    assert application_a.events.filter(action="document.part_added").exists()
    page = rep_a.get(url("documents", application_a)).content.decode()
    assert "Combine into one PDF" in page and part.display_name in page


def test_further_files_must_be_pdfs_or_images(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    factories.make_document(application=application_a, person=application_a.principal_applicant)
    response = rep_a.post(
        url("document_add_part", application_a, key),
        {"file": SimpleUploadedFile("letter.docx", corpus.good_docx())},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("file", "type_not_allowed")
    assert not Document.objects.filter(state="part").exists()


def test_no_further_file_without_a_first_one_or_after_a_word_document(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    assert rep_a.get(url("document_add_part", application_a, key)).status_code == 409
    factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        name="letter.docx",
        content=corpus.good_docx(),
    )
    assert rep_a.get(url("document_add_part", application_a, key)).status_code == 409


def test_at_most_the_configured_number_of_files_are_combined_at_once(
    rep_a, application_a, settings
):
    settings.UPLOAD_COMBINE_MAX_FILES = 2
    key = pa_slot(application_a, "passport")
    factories.make_document(application=application_a, person=application_a.principal_applicant)
    assert (
        rep_a.post(url("document_add_part", application_a, key), {"file": pdf()}).status_code == 302
    )
    refused = rep_a.post(url("document_add_part", application_a, key), {"file": pdf()})
    assert refused.status_code == 409
    assert b"most files that can be combined" in refused.content
    assert Document.objects.filter(state="part").count() == 1


def test_adding_with_no_file_is_an_error_not_a_crash(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    factories.make_document(application=application_a, person=application_a.principal_applicant)
    response = rep_a.post(url("document_add_part", application_a, key))
    assert response.status_code == 200
    assert response.context["form"].has_error("file", "required")


def test_a_photo_slot_takes_one_image_and_nothing_to_combine(rep_a, application_a):
    key = pa_slot(application_a, "photo")
    factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        item_code="photo",
        name="photo.jpg",
        content=corpus.good_jpeg(),
    )
    assert rep_a.get(url("document_add_part", application_a, key)).status_code == 409
    page = rep_a.get(url("documents", application_a)).content.decode()
    assert url("document_add_part", application_a, key) not in page


def test_further_receipts_carry_their_own_amount(rep_a, application_a):
    factories.make_document(
        application=application_a, item_code="fee_receipt", receipt_amount=Decimal("600.00")
    )
    missing = rep_a.post(url("document_add_part", application_a, "fee_receipt"), {"file": pdf()})
    assert missing.context["form"].has_error("receipt_amount", "required")
    rep_a.post(
        url("document_add_part", application_a, "fee_receipt"),
        {"file": pdf(), "receipt_amount": "55.00"},
    )
    slot = find_slot(document_slots(application_a), "fee_receipt")
    assert slot.receipt_total == Decimal("655.00")


def test_removing_the_added_files_keeps_them_in_the_history(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    main = factories.make_document(
        application=application_a, person=application_a.principal_applicant
    )
    factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        state="part",
        part_of=main,
    )
    assert rep_a.get(url("document_parts_remove", application_a, key)).status_code == 405
    response = rep_a.post(url("document_parts_remove", application_a, key))
    assert response.status_code == 302
    assert not Document.objects.filter(state="part").exists()
    assert Document.objects.filter(state="deleted").count() == 1
    assert application_a.events.filter(action="document.parts_removed").exists()
    assert rep_a.post(url("document_parts_remove", application_a, key)).status_code == 409


# --- delete -------------------------------------------------------------------------------------


def test_delete_asks_first_then_empties_the_slot_and_keeps_the_file(rep_a, application_a):
    key = pa_slot(application_a, "passport")
    document = factories.make_document(
        application=application_a, person=application_a.principal_applicant
    )
    confirm = rep_a.get(url("document_delete", application_a, document.public_id))
    assert confirm.status_code == 200
    assert "Delete the file" in confirm.content.decode()
    assert current(application_a, key) == document

    response = rep_a.post(url("document_delete", application_a, document.public_id))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == "deleted" and document.ended_at is not None
    assert current(application_a, key) is None
    assert StoredFile.objects.filter(pk=document.file_id).exists()
    assert application_a.events.filter(action="document.deleted").count() == 1
    assert AuditEvent.objects.filter(action="document.deleted", object_id=document.public_id)
    # Deleting it again is refused: it is no longer in the slot.
    again = rep_a.post(url("document_delete", application_a, document.public_id))
    assert again.status_code == 409
    assert application_a.events.filter(action="document.deleted").count() == 1


def test_delete_rejects_other_methods(rep_a, application_a):
    document = factories.make_document(application=application_a, item_code="fee_receipt")
    assert rep_a.put(url("document_delete", application_a, document.public_id)).status_code == 405


# --- preview and download -----------------------------------------------------------------------


def test_a_pdf_preview_shows_every_page_as_an_image_rendered_on_the_server(rep_a, application_a):
    document = factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        content=corpus.pdf_bytes(corpus.new_pdf(3)),
    )
    response = rep_a.get(url("document_preview", application_a, document.public_id))
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 pages." in body
    assert body.count('class="preview-page border"') == 3
    assert "<iframe" not in body and "<embed" not in body and "<object" not in body
    assert AuditEvent.objects.filter(action="document.viewed", object_id=document.public_id)

    page = rep_a.get(url("document_page", application_a, document.public_id, 2))
    assert page.status_code == 200
    assert page["Content-Type"] == "image/png"
    assert "no-store" in page["Cache-Control"]
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Content-Security-Policy"].startswith("sandbox")
    image = Image.open(io.BytesIO(page.content))
    assert image.format == "PNG"
    assert image.size == (417, 278)  # 300 × 200 points at 100 DPI
    assert rep_a.get(url("document_page", application_a, document.public_id, 4)).status_code == 404
    assert rep_a.get(url("document_page", application_a, document.public_id, 0)).status_code == 404


def test_rendered_pages_are_cached_per_stored_file(rep_a, application_a, monkeypatch):
    from applications import document_files

    document = factories.make_document(application=application_a, item_code="fee_receipt")
    calls = []
    real = document_files.render_pdf_page
    monkeypatch.setattr(document_files, "render_pdf_page", lambda *a: calls.append(a) or real(*a))
    first = rep_a.get(url("document_page", application_a, document.public_id, 1))
    second = rep_a.get(url("document_page", application_a, document.public_id, 1))
    assert first.content == second.content and len(calls) == 1
    assert default_storage.exists(f"previews/{document.file.public_id}/1.png")


def test_a_long_pdf_preview_comes_ten_pages_at_a_time(rep_a, application_a):
    document = factories.make_document(
        application=application_a,
        item_code="fee_receipt",
        content=corpus.pdf_bytes(corpus.new_pdf(25)),
    )
    first = rep_a.get(url("document_preview", application_a, document.public_id)).content.decode()
    assert first.count('class="preview-page border"') == 10 and "?start=11" in first
    last = rep_a.get(url("document_preview", application_a, document.public_id) + "?start=21")
    body = last.content.decode()
    assert body.count('class="preview-page border"') == 5 and "?start=11" in body
    odd = rep_a.get(url("document_preview", application_a, document.public_id) + "?start=x")
    assert odd.status_code == 200


def test_an_active_pdf_is_previewed_only_as_images_and_served_only_as_a_download(
    rep_a, application_a
):
    document = factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        item_code="imm5475",
        content=corpus.pdf_with(corpus._open_action_js),
    )
    preview = rep_a.get(url("document_preview", application_a, document.public_id))
    body = preview.content.decode()
    assert "shown here only as images" in body
    assert url("document_page", application_a, document.public_id, 1) in body
    assert (
        rep_a.get(url("document_page", application_a, document.public_id, 1))["Content-Type"]
        == "image/png"
    )
    assert rep_a.get(url("document_image", application_a, document.public_id)).status_code == 404
    download = rep_a.get(url("document_download", application_a, document.public_id))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"


def test_an_image_preview_serves_the_re_encoded_image(rep_a, application_a):
    document = factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        item_code="photo",
        name="phone.jpg",
        content=corpus.jpeg_with_gps(),
    )
    preview = rep_a.get(url("document_preview", application_a, document.public_id))
    assert url("document_image", application_a, document.public_id) in preview.content.decode()
    image = rep_a.get(url("document_image", application_a, document.public_id))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg" and "no-store" in image["Cache-Control"]
    assert b"GPS" not in image.content and Image.open(io.BytesIO(image.content)).format == "JPEG"
    assert rep_a.get(url("document_page", application_a, document.public_id, 1)).status_code == 404


def test_word_documents_are_not_previewed_but_can_be_downloaded(rep_a, application_a):
    document = factories.make_document(
        application=application_a, item_code=None, name="letter.docx", content=corpus.good_docx()
    )
    preview = rep_a.get(url("document_preview", application_a, document.public_id))
    assert "Word documents cannot be shown here" in preview.content.decode()


def test_downloads_are_attachments_with_the_convention_name_and_no_caching(rep_a, application_a):
    document = factories.make_document(
        application=application_a,
        person=application_a.principal_applicant,
        display_name="Côté – Zoë – Passport – 1.pdf",
    )
    response = rep_a.get(url("document_download", application_a, document.public_id))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''C%C3%B4t%C3%A9%20%E2%80%93%20Zo%C3%AB" in disposition
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="file.downloaded", object_id=document.file.public_id)


def test_earlier_versions_can_still_be_previewed_and_downloaded(rep_a, application_a):
    old = factories.make_document(
        application=application_a, person=application_a.principal_applicant, state="replaced"
    )
    assert rep_a.get(url("document_preview", application_a, old.public_id)).status_code == 200
    assert rep_a.get(url("document_download", application_a, old.public_id)).status_code == 200


# --- personas and states ------------------------------------------------------------------------


def document_url_names() -> list[tuple[str, list[str]]]:
    _, resolver = get_resolver().namespace_dict["applications"]
    return [
        (pattern.name, list(pattern.pattern.converters))
        for pattern in resolver.url_patterns
        if pattern.name.startswith("document")
    ]


POST_ONLY = {"document_combine", "document_parts_remove"}
GET_ONLY = {
    "documents", "document_preview", "document_page", "document_image", "document_download",
    "document_translation",
}  # fmt: skip


def test_the_walk_sees_every_document_url():
    assert len(document_url_names()) == 11


@pytest.fixture
def documents_of_a(application_a):
    pa = application_a.principal_applicant
    pdf_document = factories.make_document(application=application_a, person=pa)
    factories.make_document(
        application=application_a, person=pa, state="part", part_of=pdf_document
    )
    image_document = factories.make_document(
        application=application_a,
        person=pa,
        item_code="identity_documents",
        name="id.jpg",
        content=corpus.good_jpeg(),
        not_in_english_or_french=True,
        translation_file=pdf_document.file,
    )
    return {"pdf": pdf_document, "image": image_document}


def kwargs_for(name, converters, application, documents):
    document = (
        documents["image"]
        if name in ("document_image", "document_translation")
        else (documents["pdf"])
    )
    values = {
        "public_id": application.public_id,
        "slot_key": document.slot_key,
        "document_id": document.public_id,
        "page": 1,
    }
    return {converter: values[converter] for converter in converters}


@pytest.mark.parametrize(("name", "converters"), document_url_names())
@pytest.mark.parametrize("persona", ["rep_b", "client_b", "client_a"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_everyone_but_the_representative_gets_404_on_every_document_url(
    request, application_a, application_b, documents_of_a, name, converters, persona, method
):
    # Client A owns the application but documents are prepared by the representative only.
    if persona == "client_a":
        request.getfixturevalue("client_a_user")
    browser = request.getfixturevalue(persona)
    target = reverse(
        f"applications:{name}", kwargs=kwargs_for(name, converters, application_a, documents_of_a)
    )
    response = getattr(browser, method)(target, {"file": pdf(), "replace_confirmed": "on"})
    wrong_method = (method == "get" and name in POST_ONLY) or (
        method == "post" and name in GET_ONLY
    )
    assert response.status_code == (405 if wrong_method else 404)
    assert b"CANARY-A" not in response.content
    assert not application_a.events.exists()
    assert Document.objects.filter(application=application_a).count() == 3


@pytest.mark.parametrize(("name", "converters"), document_url_names())
def test_anonymous_visitors_are_sent_to_sign_in(
    anon, application_a, documents_of_a, name, converters
):
    target = reverse(
        f"applications:{name}", kwargs=kwargs_for(name, converters, application_a, documents_of_a)
    )
    method = "post" if name in POST_ONLY else "get"
    response = getattr(anon, method)(target)
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


@pytest.mark.parametrize(("name", "converters"), document_url_names())
def test_the_representative_reaches_every_document_url(
    rep_a, application_a, documents_of_a, name, converters
):
    target = reverse(
        f"applications:{name}", kwargs=kwargs_for(name, converters, application_a, documents_of_a)
    )
    response = rep_a.get(target)
    assert response.status_code == (405 if name in POST_ONLY else 200)


CHANGES = [
    "document_upload",
    "document_add_part",
    "document_combine",
    "document_parts_remove",
    "document_delete",
]


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize("status", ["submitted", "completeness_check"])
def test_no_change_once_the_application_is_not_editable(
    rep_a, application_a, documents_of_a, name, status
):
    Application.objects.filter(pk=application_a.pk).update(status=status)
    _, resolver = get_resolver().namespace_dict["applications"]
    converters = next(p.pattern.converters for p in resolver.url_patterns if p.name == name)
    target = reverse(
        f"applications:{name}",
        kwargs=kwargs_for(name, list(converters), application_a, documents_of_a),
    )
    if name not in POST_ONLY:
        assert rep_a.get(target).status_code == 409
    response = rep_a.post(target, {"file": pdf(), "replace_confirmed": "on"})
    assert response.status_code == 409
    assert not application_a.events.exists()
    assert set(Document.objects.values_list("state", flat=True)) == {"current", "part"}
    # Reading is still allowed.
    assert rep_a.get(url("documents", application_a)).status_code == 200
    assert "Upload<span" not in rep_a.get(url("documents", application_a)).content.decode()


def test_a_slot_being_combined_cannot_be_changed_meanwhile(rep_a, application_a, documents_of_a):
    main = documents_of_a["pdf"]
    Document.objects.filter(pk=main.pk).update(combine_status="running")
    key = main.slot_key
    assert rep_a.get(url("document_upload", application_a, key)).status_code == 409
    assert rep_a.post(url("document_combine", application_a, key)).status_code == 409
    assert rep_a.post(url("document_delete", application_a, main.public_id)).status_code == 409
    page = rep_a.get(url("documents", application_a)).content.decode()
    assert "Combining…" in page


def scanned_pdf() -> bytes:
    out = io.BytesIO()
    corpus.noise_image(200, 260).save(out, "PDF", resolution=72)
    return out.getvalue()


def test_a_fillable_form_with_no_text_is_flagged_as_printed_and_scanned(rep_a, application_a):
    key = pa_slot(application_a, "imm5475")
    rep_a.post(
        url("document_upload", application_a, key),
        {"file": SimpleUploadedFile("imm5475.pdf", scanned_pdf())},
    )
    slot = find_slot(document_slots(application_a), key)
    assert current(application_a, key).has_text_layer is False
    assert [(p.code, p.blocking) for p in slot.problems] == [("pdf_no_text", False)]
    rep_a.post(
        url("document_upload", application_a, key), {"file": pdf(), "replace_confirmed": "on"}
    )
    assert current(application_a, key).has_text_layer is True
    assert find_slot(document_slots(application_a), key).problems == []


def test_hand_signed_forms_are_scans_and_are_not_flagged(rep_a, application_a):
    key = pa_slot(application_a, "imm5476")
    rep_a.post(
        url("document_upload", application_a, key),
        {
            "file": SimpleUploadedFile("imm5476.pdf", scanned_pdf()),
            "signed_by_hand_confirmed": "on",
            "signature_date": TODAY.isoformat(),
        },
    )
    assert current(application_a, key).has_text_layer is None
    assert find_slot(document_slots(application_a), key).problems == []


def test_the_history_names_the_document_and_the_person(rep_a, application_a):
    rep_a.post(
        url("document_upload", application_a, pa_slot(application_a, "passport")), {"file": pdf()}
    )
    body = rep_a.get(url("history", application_a)).content.decode()
    assert (
        "Document uploaded: Passport or travel document (copy) — CANARY-A-Given CANARY-A-Family"
        in body
    )
