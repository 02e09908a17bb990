"""Document pages for whoever prepares the application (a representative or a self-represented
individual): the checklist slots, uploads, combining, previews and
downloads. Each view: door, guard, form, service, redirect (STYLE.md §4).

Other clients and representatives get 404 on every page here (``preparer_required``
and the application door). Uploaded files are only ever sent as attachments; previews are
PNG images rendered on the server, so no uploaded PDF is opened by a browser.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import audit_record

from . import services
from .access import (
    ensure_editable,
    get_application_for_user,
    get_document_for_application,
    preparer_required,
)
from .document_files import preview_page_png
from .document_forms import DocumentPartForm, DocumentUploadForm
from .documents import (
    document_slots,
    fee_summary,
    find_slot,
    slot_title,
)
from .models import Document
from .uploads import KINDS, _request_meta, stored_file_response

PREVIEW_PAGES_AT_ONCE = 10


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _slots(application):
    today = timezone.localdate()
    people = list(application.people.order_by("created_at", "id"))
    slots = document_slots(application, people=people, today=today)
    return people, slots, fee_summary(application, people=people, slots=slots, today=today)


def _slot_or_404(slots, slot_key):
    slot = find_slot(slots, slot_key)
    if slot is None:
        raise Http404
    return slot


def _groups(slots, people) -> list[dict]:
    """Slots grouped for display: the application, each person in order, then leftovers."""
    groups = [{"person": None, "slots": [], "no_longer_applies": False}]
    by_person = {}
    for person in people:
        by_person[person.pk] = {"person": person, "slots": [], "no_longer_applies": False}
        groups.append(by_person[person.pk])
    leftovers = {"person": None, "slots": [], "no_longer_applies": True}
    for slot in slots:
        if slot.no_longer_applies:
            leftovers["slots"].append(slot)
        elif slot.person is None:
            groups[0]["slots"].append(slot)
        else:
            by_person[slot.person.pk]["slots"].append(slot)
    groups.append(leftovers)
    return [group for group in groups if group["slots"]]


def _documents_url(public_id, slot=None) -> str:
    url = reverse("applications:documents", kwargs={"public_id": public_id})
    return f"{url}#{slot.anchor}" if slot is not None else url


def _finish(request, url):
    """Post/Redirect/Get; the upload script (X-Upload: 1) gets 204 and goes there itself."""
    if request.headers.get("X-Upload") == "1":
        response = HttpResponse(status=204)
        response["X-Redirect"] = url
        return response
    return redirect(url)


@require_safe
@preparer_required
def documents(request, public_id):
    application = get_application_for_user(request, public_id)
    people, slots, fees = _slots(application)
    return render(
        request,
        "applications/document_list.html",
        {
            "application": application,
            "groups": _groups(slots, people),
            "fees": fees,
            "missing_required": sum(1 for s in slots if s.is_required and s.current is None),
        },
    )


def upload_form(request, slot, form_class=DocumentUploadForm):
    """The upload form of ``slot``, bound on POST (every upload page uses it)."""
    posted = request.method == "POST"
    return form_class(
        request.POST if posted else None,
        request.FILES if posted else None,
        slot=slot,
        actor=request.user,
        today=timezone.localdate(),
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def document_upload(request, public_id, slot_key):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    people, slots, fees = _slots(application)
    slot = _slot_or_404(slots, slot_key)
    if slot.current is not None and slot.current.combine_in_progress:
        raise services.CombineInProgress()
    form = upload_form(request, slot)
    if request.method == "POST" and form.is_valid():
        services.document_upload(
            application=application,
            slot_key=slot.key,
            checked=form.cleaned_data["file"],
            details=form.cleaned_data,
            translation=form.cleaned_data.get("translation"),
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(request, _("Uploaded: %(slot)s.") % {"slot": slot_title(slot)})
        return _finish(request, _documents_url(public_id, slot))
    return render(
        request,
        "applications/document_upload.html",
        {"application": application, "slot": slot, "form": form, "fees": fees},
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def document_add_part(request, public_id, slot_key):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    people, slots, fees = _slots(application)
    slot = _slot_or_404(slots, slot_key)
    if not slot.can_combine:
        raise services.WrongState(
            _("Files can be combined only with a PDF or an image already in the slot.")
        )
    if slot.current.combine_in_progress:
        raise services.CombineInProgress()
    if slot.combine_full:
        raise services.CombineFull()
    posted = request.method == "POST"
    form = DocumentPartForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        slot=slot,
        actor=request.user,
    )
    if request.method == "POST" and form.is_valid():
        services.document_part_add(
            application=application,
            slot_key=slot.key,
            checked=form.cleaned_data["file"],
            receipt_amount=form.cleaned_data.get("receipt_amount"),
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(
            request,
            _("File added. When all the files are added, combine them into one PDF."),
        )
        return _finish(request, _documents_url(public_id, slot))
    return render(
        request,
        "applications/document_add_part.html",
        {"application": application, "slot": slot, "form": form, "fees": fees},
    )


@require_POST
@preparer_required
def document_combine(request, public_id, slot_key):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    people, slots, fees = _slots(application)
    slot = _slot_or_404(slots, slot_key)
    main = services.document_combine_request(
        application=application, slot_key=slot.key, actor=request.user, ip=_client_ip(request)
    )
    # Without a broker (development) the task has already run; say what happened.
    main.refresh_from_db(fields=["state", "combine_status", "combine_error"])
    if main.state == Document.State.REPLACED:
        messages.success(request, _("The files were combined into one PDF."))
    elif main.combine_status == Document.CombineStatus.FAILED:
        messages.error(
            request,
            _("The files could not be combined: see the message next to the document."),
        )
    else:
        messages.info(
            request,
            _("The files are being combined into one PDF. Refresh this page in a moment."),
        )
    return redirect(_documents_url(public_id, slot))


@require_POST
@preparer_required
def document_parts_remove(request, public_id, slot_key):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    people, slots, fees = _slots(application)
    slot = _slot_or_404(slots, slot_key)
    services.document_parts_remove(
        application=application, slot_key=slot.key, actor=request.user, ip=_client_ip(request)
    )
    messages.success(request, _("The files waiting to be combined were removed."))
    return redirect(_documents_url(public_id, slot))


@require_http_methods(["GET", "POST"])
@preparer_required
def document_delete(request, public_id, document_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    document = get_document_for_application(application, document_id)
    if document.state not in (Document.State.CURRENT, Document.State.PART):
        raise services.WrongState(_("This file was already replaced or deleted."))
    if request.method == "POST":
        services.document_delete(document=document, actor=request.user, ip=_client_ip(request))
        messages.success(request, _("Deleted: %(name)s.") % {"name": document.display_name})
        return redirect("applications:documents", public_id=public_id)
    return render(
        request,
        "applications/document_delete.html",
        {"application": application, "document": document},
    )


@require_safe
@preparer_required
def document_preview(request, public_id, document_id):
    application = get_application_for_user(request, public_id)
    document = get_document_for_application(application, document_id)
    return render(
        request,
        "applications/document_preview.html",
        {"application": application, **preview_context(request, document)},
    )


def preview_context(request, document) -> dict:
    """What a preview page shows of ``document`` (reached through its door): up to
    ``PREVIEW_PAGES_AT_ONCE`` pages from ``?start=``. Writes the audit row of the viewing.
    The client's read-only review (clients.views) uses it too."""
    stored = document.file
    pages, start = [], 1
    if stored.kind == "pdf":
        try:
            start = max(1, min(int(request.GET.get("start", 1)), stored.page_count or 1))
        except ValueError:
            start = 1
        end = min(start + PREVIEW_PAGES_AT_ONCE - 1, stored.page_count or 1)
        pages = list(range(start, end + 1))
    audit_record(
        actor=request.user, action="document.viewed", obj=document, **_request_meta(request)
    )
    return {
        "document": document,
        "stored": stored,
        "pages": pages,
        "previous_start": max(1, start - PREVIEW_PAGES_AT_ONCE) if start > 1 else None,
        "next_start": pages[-1] + 1 if pages and pages[-1] < (stored.page_count or 0) else None,
        "active_content": "pdf_active_content" in (stored.flags or []),
    }


def _image_response(content: bytes, content_type: str) -> HttpResponse:
    """An image for an <img> on our own pages: never sniffed, never cached, no script."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
@preparer_required
def document_page(request, public_id, document_id, page):
    application = get_application_for_user(request, public_id)
    return page_response(get_document_for_application(application, document_id), page)


def page_response(document, page: int) -> HttpResponse:
    """Page ``page`` of a PDF document (reached through its door) as a PNG, else 404."""
    stored = document.file
    if stored.kind != "pdf" or not 1 <= page <= (stored.page_count or 0):
        raise Http404
    return _image_response(preview_page_png(stored, page), "image/png")


@require_safe
@preparer_required
def document_image(request, public_id, document_id):
    application = get_application_for_user(request, public_id)
    return image_document_response(get_document_for_application(application, document_id))


def image_document_response(document) -> HttpResponse:
    """An image document (reached through its door) as its re-encoded bytes, else 404."""
    stored = document.file
    if stored.kind not in ("jpeg", "png"):
        raise Http404
    with stored.file.open("rb") as handle:
        content = handle.read()
    return _image_response(content, KINDS[stored.kind].content_type)


@require_safe
@preparer_required
def document_download(request, public_id, document_id):
    application = get_application_for_user(request, public_id)
    document = get_document_for_application(application, document_id)
    return stored_file_response(document.file, download_name=document.display_name, request=request)


@require_safe
@preparer_required
def document_translation(request, public_id, document_id):
    application = get_application_for_user(request, public_id)
    document = get_document_for_application(application, document_id)
    if document.translation_file is None:
        raise Http404
    return stored_file_response(
        document.translation_file,
        download_name=document.translation_display_name or document.display_name,
        request=request,
    )
