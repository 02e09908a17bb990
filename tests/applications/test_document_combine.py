"""Combining the files of one slot into one PDF: the request, the task, its failures and the
sweeper that publishes lost tasks again."""

import io
from datetime import timedelta
from decimal import Decimal

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from applications.document_files import CombineFailed, combine_into_pdf
from applications.documents import document_slots, find_slot, slot_key
from applications.models import ApplicationEvent, Document
from applications.services import document_combine, document_combine_sweep
from tests import factories
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db


def pdf_pages(pages: int) -> bytes:
    return corpus.pdf_bytes(corpus.new_pdf(pages))


def pages_of(document: Document) -> int:
    with document.file.file.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        return len(pdf.pages)


@pytest.fixture
def passport_slot(application_a):
    return slot_key("passport", application_a.principal_applicant)


def add_files(application, *contents, item_code="passport", person="pa", amounts=()):
    person = application.principal_applicant if person == "pa" else person
    names = ["main", *[f"part{i}" for i in range(len(contents) - 1)]]
    amounts = list(amounts) or [None] * len(contents)
    main = None
    for index, ((name, content), label) in enumerate(zip(contents, names, strict=True)):
        document = factories.make_document(
            application=application,
            item_code=item_code,
            person=person,
            name=name,
            content=content,
            state="current" if index == 0 else "part",
            part_of=main,
            receipt_amount=amounts[index],
        )
        main = main or document
        del label
    return main


def combine(client, application, key, captured):
    with captured(execute=True):
        return client.post(
            reverse("applications:document_combine", args=[application.public_id, key])
        )


def test_two_pdfs_become_one_pdf_with_all_their_pages(
    rep_a, application_a, passport_slot, django_capture_on_commit_callbacks
):
    main = add_files(application_a, ("a.pdf", pdf_pages(2)), ("b.pdf", pdf_pages(3)))
    response = combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    combined = Document.objects.get(slot_key=passport_slot, state="current")
    assert combined != main
    assert combined.file.kind == "pdf" and combined.file.page_count == 5 == pages_of(combined)
    assert combined.display_name.endswith("Passport or travel document (copy) – 1.pdf")
    main.refresh_from_db()
    assert main.state == "replaced" and main.replaced_by == combined
    part = Document.objects.get(part_of=main)
    assert part.state == "combined" and part.replaced_by == combined
    actions = list(application_a.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        ApplicationEvent.Action.DOCUMENT_COMBINE_REQUESTED,
        ApplicationEvent.Action.DOCUMENT_COMBINED,
    ]
    assert AuditEvent.objects.filter(action="document.combined", object_id=combined.public_id)
    slot = find_slot(document_slots(application_a), passport_slot)
    assert slot.state == "uploaded" and slot.parts == [] and set(slot.history) == {main, part}
    page = rep_a.get(response["Location"]).content.decode()
    assert combined.display_name in page and "Combine into one PDF" not in page


def test_a_pdf_and_a_jpeg_become_a_two_page_pdf(
    rep_a, application_a, passport_slot, django_capture_on_commit_callbacks
):
    add_files(application_a, ("a.pdf", pdf_pages(1)), ("photo.jpg", corpus.good_jpeg()))
    combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)
    combined = Document.objects.get(slot_key=passport_slot, state="current")
    assert pages_of(combined) == 2
    with combined.file.file.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as pdf:
        images = list(pdf.pages[1].get_images().values())
        assert len(images) == 1 and images[0].Width == 64


def test_images_alone_are_combined_into_a_pdf(
    rep_a, application_a, passport_slot, django_capture_on_commit_callbacks
):
    add_files(application_a, ("front.png", corpus.good_png()), ("back.jpg", corpus.good_jpeg()))
    combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)
    combined = Document.objects.get(slot_key=passport_slot, state="current")
    assert combined.file.kind == "pdf" and pages_of(combined) == 2


def test_a_result_over_the_limit_fails_clearly_and_keeps_the_files(
    rep_a, application_a, passport_slot, settings, django_capture_on_commit_callbacks
):
    main = add_files(application_a, ("a.pdf", pdf_pages(2)), ("b.pdf", pdf_pages(2)))
    settings.UPLOAD_MAX_BYTES = 1000  # each file fits; together they do not
    response = combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)

    main.refresh_from_db()
    assert main.state == "current"
    assert main.combine_status == "failed" and main.combine_error == "combine_too_large"
    assert Document.objects.filter(state="part").count() == 1
    slot = find_slot(document_slots(application_a), passport_slot)
    assert slot.state == "needs_attention" and not slot.done
    (problem,) = [p for p in slot.problems if p.code == "combine_failed"]
    assert "larger than 0.001 MB" in str(problem.message) and "150 DPI" in str(problem.message)
    assert application_a.events.filter(
        action=ApplicationEvent.Action.DOCUMENT_COMBINE_FAILED, reason="combine_too_large"
    ).exists()
    assert AuditEvent.objects.filter(
        action="document.combine_failed", outcome="failure", reason="combine_too_large"
    ).exists()
    page = rep_a.get(response["Location"]).content.decode()
    assert 'data-problem="combine_failed"' in page and "150 DPI" in page
    # Removing the added file clears the failure.
    rep_a.post(
        reverse("applications:document_parts_remove", args=[application_a.public_id, passport_slot])
    )
    main.refresh_from_db()
    assert main.combine_status == "" and main.combine_error == ""


def test_images_are_reduced_to_fit_under_the_limit(
    rep_a, application_a, passport_slot, settings, django_capture_on_commit_callbacks
):
    photo = corpus.image_bytes(corpus.noise_image(1600, 1600), "JPEG", quality=90)
    add_files(application_a, ("a.pdf", pdf_pages(1)), ("scan.jpg", photo))
    settings.UPLOAD_MAX_BYTES = 400_000
    combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)
    combined = Document.objects.get(slot_key=passport_slot, state="current")
    assert combined.file.kind == "pdf" and combined.file.size <= 400_000
    assert pages_of(combined) == 2


def test_the_combined_pdf_goes_through_the_pipeline_again(
    rep_a, application_a, passport_slot, settings, django_capture_on_commit_callbacks
):
    main = add_files(application_a, ("a.pdf", pdf_pages(3)), ("b.pdf", pdf_pages(3)))
    settings.UPLOAD_PDF_MAX_PAGES = 5
    combine(rep_a, application_a, passport_slot, django_capture_on_commit_callbacks)
    main.refresh_from_db()
    assert main.combine_status == "failed" and main.combine_error == "pdf_too_many_pages"
    slot = find_slot(document_slots(application_a), passport_slot)
    (problem,) = [p for p in slot.problems if p.code == "combine_failed"]
    assert str(problem.message).startswith("The combined PDF was refused: The PDF has more than 5")


def test_receipt_amounts_are_added_up_in_the_combined_receipt(
    rep_a, application_a, django_capture_on_commit_callbacks
):
    add_files(
        application_a,
        ("r1.pdf", pdf_pages(1)),
        ("r2.pdf", pdf_pages(1)),
        item_code="fee_receipt",
        person=None,
        amounts=[Decimal("570.00"), Decimal("85.00")],
    )
    combine(rep_a, application_a, "fee_receipt", django_capture_on_commit_callbacks)
    combined = Document.objects.get(slot_key="fee_receipt", state="current")
    assert combined.receipt_amount == Decimal("655.00")


def test_combining_needs_added_files_and_a_post(rep_a, application_a, passport_slot):
    add_files(application_a, ("a.pdf", pdf_pages(1)))
    target = reverse("applications:document_combine", args=[application_a.public_id, passport_slot])
    assert rep_a.get(target).status_code == 405
    assert rep_a.post(target).status_code == 409
    assert not application_a.events.exists()


def test_without_a_worker_the_request_leaves_a_pending_record_the_task_picks_up(
    rep_a, application_a, passport_slot, django_capture_on_commit_callbacks
):
    main = add_files(application_a, ("a.pdf", pdf_pages(1)), ("b.pdf", pdf_pages(1)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = rep_a.post(
            reverse("applications:document_combine", args=[application_a.public_id, passport_slot])
        )
    assert len(callbacks) == 1  # the publish waits for the commit
    main.refresh_from_db()
    assert main.combine_status == "pending" and main.combine_requested_by is not None
    page = rep_a.get(response["Location"]).content.decode()
    assert "Combining…" in page and "being combined" in page
    assert document_combine(document_id=main.pk) == "combined"
    assert document_combine(document_id=main.pk) == "skipped"  # a duplicate task does nothing
    assert Document.objects.filter(slot_key=passport_slot, state="current").count() == 1


def test_a_file_replaced_while_waiting_is_not_combined(application_a, passport_slot):
    main = add_files(application_a, ("a.pdf", pdf_pages(1)), ("b.pdf", pdf_pages(1)))
    Document.objects.filter(pk=main.pk).update(combine_status="pending", state="replaced")
    assert document_combine(document_id=main.pk) == "skipped"
    assert not Document.objects.filter(state="current").exists()


def test_the_sweeper_publishes_lost_combinations_again_and_gives_up_on_old_ones(
    application_a, passport_slot, django_capture_on_commit_callbacks, monkeypatch
):
    from applications import tasks

    published = []
    monkeypatch.setattr(
        tasks.document_combine_task, "apply_async", lambda **kw: published.append(kw["args"])
    )
    main = add_files(application_a, ("a.pdf", pdf_pages(1)), ("b.pdf", pdf_pages(1)))
    now = timezone.now()
    Document.objects.filter(pk=main.pk).update(
        combine_status="pending", combine_requested_at=now - timedelta(seconds=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert document_combine_sweep(now=now) == 0  # too recent: its task may still come
    Document.objects.filter(pk=main.pk).update(
        combine_status="running",
        combine_requested_at=now - timedelta(minutes=20),
        combine_started_at=now - timedelta(minutes=16),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert document_combine_sweep(now=now) == 1  # the worker died: run it again
    assert published == [(main.pk,)]
    main.refresh_from_db()
    assert main.combine_status == "pending"
    Document.objects.filter(pk=main.pk).update(combine_requested_at=now - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert document_combine_sweep(now=now) == 0
    main.refresh_from_db()
    assert main.combine_status == "failed" and main.combine_error == "combine_error"


def test_combine_into_pdf_refuses_unreadable_files():
    with pytest.raises(CombineFailed) as failure:
        combine_into_pdf([("pdf", corpus.good_pdf()), ("pdf", b"%PDF-1.4 broken")], max_bytes=10**6)
    assert failure.value.code == "combine_unreadable"
