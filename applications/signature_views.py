"""Sending for signature (representative) and the client's signing page (issue 7)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .access import get_application_for_user, preparer_required
from .models import Application
from .signatures import (
    NameMismatch,
    application_send_for_signature,
    request_evidence,
    required_signatures,
    signature_sign,
)


class SignForm(forms.Form):
    """One item's typed signature: the signer's full name and the attestation."""

    typed_name = forms.CharField(
        label=gettext_lazy("Type your full name to sign"),
        max_length=200,
        error_messages={"required": gettext_lazy("Type your full name to sign this item.")},
    )
    attest = forms.BooleanField(
        label=gettext_lazy("I confirm the statement above."),
        error_messages={"required": gettext_lazy("Confirm the statement to sign this item.")},
    )


@require_POST
@preparer_required
def send_for_signature(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    application_send_for_signature(application=application, actor=request.user)
    if application.is_self_represented:
        messages.success(request, _("Your application is ready to sign. Sign each item."))
        return redirect("applications:sign", public_id=application.public_id)
    messages.success(request, _("The application was sent to the client for signature."))
    return redirect("applications:detail", public_id=application.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sign(request, public_id):
    """The client's signing page: every item they sign, each signed on its own."""
    if getattr(request.user, "role", None) != "client":
        raise Http404
    application = get_application_for_user(request, public_id)
    people = list(application.people.order_by("created_at", "id"))
    required = required_signatures(application, people=people)
    for index, entry in enumerate(required):
        entry.form = SignForm(prefix=f"s{index}")
    posted = None
    if request.method == "POST":
        posted = next((e for e in required if e.key == request.POST.get("item")), None)
        if posted is None:
            raise Http404
        posted.form = SignForm(request.POST, prefix=posted.form.prefix)
        if posted.form.is_valid():
            try:
                signature_sign(
                    application=application,
                    key=posted.key,
                    typed_text=posted.form.cleaned_data["typed_name"],
                    attested=True,
                    user=request.user,
                    evidence=request_evidence(request),
                )
            except NameMismatch as error:
                posted.form.add_error("typed_name", str(error))
            else:
                messages.success(request, _("Signed."))
                return redirect("applications:sign", public_id=application.public_id)
    return render(
        request,
        "applications/sign.html",
        {
            "application": application,
            "required": required,
            "posted": posted,
            "open": application.status == Application.Status.AWAITING_CLIENT_SIGNATURE,
        },
        status=400 if posted is not None and posted.form.errors else 200,
    )
