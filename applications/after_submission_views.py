"""The representative's uploads after submission: answering a document request and reporting
a change of circumstances (applications.after_submission). Each view: door, guard, form,
service, redirect (STYLE.md §4). The form and the page are those of every other upload."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import after_submission
from .access import get_application_for_user, representative_required
from .document_forms import CircumstanceChangeForm
from .document_views import _client_ip, _finish, upload_form
from .models import CircumstanceChange, DocumentRequest


def _detail_url(public_id, anchor: str) -> str:
    return reverse("applications:detail", kwargs={"public_id": public_id}) + anchor


def _page(request, application, slot, form, *, cancel_url):
    return render(
        request,
        "applications/document_upload.html",
        {
            "application": application,
            "slot": slot,
            "form": form,
            "cancel_url": cancel_url,
            "after_submission": True,
        },
    )


@require_http_methods(["GET", "POST"])
@representative_required
def requested_document_upload(request, public_id, request_id):
    application = get_application_for_user(request, public_id, write=True)
    try:
        document_request = application.document_requests.get(public_id=request_id)
    except DocumentRequest.DoesNotExist:
        raise Http404 from None
    if not after_submission.request_is_open(document_request, application):
        raise after_submission.RequestClosed()
    slot = after_submission.request_slot(document_request, application.program)
    form = upload_form(request, slot)
    if request.method == "POST" and form.is_valid():
        after_submission.document_request_fulfil(
            application=application,
            request=document_request,
            checked=form.cleaned_data["file"],
            details=form.cleaned_data,
            translation=form.cleaned_data.get("translation"),
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(
            request,
            _("Sent to IRCC staff: %(name)s.") % {"name": document_request.name},
        )
        return _finish(request, _detail_url(public_id, "#document-requests"))
    return _page(
        request, application, slot, form, cancel_url=_detail_url(public_id, "#document-requests")
    )


@require_http_methods(["GET", "POST"])
@representative_required
def circumstance_report(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    if not after_submission.circumstances_open(application):
        raise after_submission.CircumstancesClosed()
    slot = after_submission.circumstance_slot(CircumstanceChange.SLOT_PREFIX, application.program)
    form = upload_form(request, slot, CircumstanceChangeForm)
    if request.method == "POST" and form.is_valid():
        after_submission.circumstance_change_report(
            application=application,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            checked=form.cleaned_data["file"],
            details=form.cleaned_data,
            translation=form.cleaned_data.get("translation"),
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(request, _("The change of circumstances was sent to IRCC staff."))
        return _finish(request, _detail_url(public_id, "#circumstances"))
    return _page(
        request, application, slot, form, cancel_url=_detail_url(public_id, "#circumstances")
    )
