"""The declaration and submit page (the preparer: a representative, or a self-represented
individual) and the submission record (preparer and client)."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from .access import (
    get_application_for_user,
    get_pr_confirmation_for_application,
    preparer_required,
)
from .models import Application, Submission
from .signatures import request_evidence
from .submission import (
    DECLARATION_TEXT,
    INDIVIDUAL_DECLARATION_TEXT,
    GateClosed,
    application_submit,
    representative_declare,
    submission_gate,
)
from .uploads import stored_file_response

Status = Application.Status


class DeclarationForm(forms.Form):
    declare = forms.BooleanField(
        label=DECLARATION_TEXT,
        error_messages={"required": gettext_lazy("Check the declaration to make it.")},
    )

    def assistance(self) -> None:
        return None  # asked of self-represented applicants only


class IndividualDeclarationForm(forms.Form):
    """A self-represented applicant's declaration: no paid representative helped, or who did."""

    NO_PAID_HELP, NAMED = "no_paid_help", "named"

    declare = forms.BooleanField(
        label=INDIVIDUAL_DECLARATION_TEXT,
        error_messages={"required": gettext_lazy("Check the declaration to make it.")},
    )
    helped = forms.ChoiceField(
        label=gettext_lazy("Did anyone help you prepare this application?"),
        widget=forms.RadioSelect,
        choices=[
            (NO_PAID_HELP, gettext_lazy("No paid representative helped me.")),
            (NAMED, gettext_lazy("Someone helped me: I name them below.")),
        ],
        error_messages={"required": gettext_lazy("Say whether anyone helped you.")},
    )
    helper_name = forms.CharField(
        label=gettext_lazy("Name of the person who helped"), max_length=200, required=False
    )
    helper_relationship = forms.CharField(
        label=gettext_lazy("Their relationship to you, or their organisation"),
        max_length=200,
        required=False,
    )
    helper_paid = forms.ChoiceField(
        label=gettext_lazy("Were they paid for their help?"),
        widget=forms.RadioSelect,
        choices=[("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("helped") == self.NAMED:
            required = {
                "helper_name": gettext_lazy("Enter the name of the person who helped you."),
                "helper_relationship": gettext_lazy(
                    "Enter their relationship to you or their organisation."
                ),
                "helper_paid": gettext_lazy("Say whether they were paid."),
            }
            for field, message in required.items():
                if not (cleaned.get(field) or "").strip():
                    self.add_error(field, message)
        return cleaned

    def assistance(self) -> dict:
        data = self.cleaned_data
        if data["helped"] == self.NO_PAID_HELP:
            return {"helped": False}
        return {
            "helped": True,
            "name": data["helper_name"].strip(),
            "relationship": data["helper_relationship"].strip(),
            "paid": data["helper_paid"] == "yes",
        }


def _declaration_form(application, data=None):
    if application.is_self_represented:
        return IndividualDeclarationForm(data)
    return DeclarationForm(data)


class SubmitForm(forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)


@require_http_methods(["GET", "HEAD", "POST"])
@preparer_required
def submit(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    if application.status in (Status.SUBMITTED, Status.COMPLETENESS_CHECK, Status.ACCEPTED):
        return redirect("applications:submission", public_id=application.public_id)
    declaration = _declaration_form(application)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "declare":
        declaration = _declaration_form(application, request.POST)
        if declaration.is_valid():
            representative_declare(
                application=application,
                actor=request.user,
                evidence=request_evidence(request),
                assistance=declaration.assistance(),
            )
            messages.success(request, _("Declaration made."))
            return redirect("applications:submit", public_id=application.public_id)
        status = 400
    elif request.method == "POST":
        token_form = SubmitForm(request.POST)
        if not token_form.is_valid():
            raise Http404
        try:
            result = application_submit(
                application=application,
                actor=request.user,
                token=token_form.cleaned_data["submission_token"],
            )
        except GateClosed:
            messages.error(request, _("The application cannot be submitted yet."))
            return redirect("applications:submit", public_id=application.public_id)
        if result.over_cap:
            messages.error(
                request,
                _(
                    "The application was returned: the number of applications accepted is "
                    "limited, and the program's cap is reached."
                ),
            )
            return redirect("applications:detail", public_id=application.public_id)
        return redirect("applications:submission", public_id=application.public_id)
    people = list(application.people.order_by("created_at", "id"))
    missing = submission_gate(application, people=people)
    can_declare = application.status == Status.CLIENT_SIGNED
    return render(
        request,
        "applications/submit.html",
        {
            "application": application,
            "missing": missing,
            "declaration": declaration,
            "can_declare": can_declare,
            "token": uuid.uuid4(),
        },
        status=status,
    )


def _submission_or_404(application) -> Submission:
    submission = (
        Submission.objects.filter(application=application)
        .select_related("package", "submitted_by")
        .order_by("-number")
        .first()
    )
    if submission is None:
        raise Http404
    return submission


@require_safe
@login_required
def submission(request, public_id):
    """The latest submission record; the representative and the client both see it."""
    application = get_application_for_user(request, public_id)
    record = _submission_or_404(application)
    return render(
        request,
        "applications/submission.html",
        {
            "application": application,
            "submission": record,
            "forms": sorted(record.manifest.get("forms", {}).items()),
            "files": sorted(record.manifest.get("files", {}).items()),
        },
    )


@require_safe
@login_required
def submission_package(request, public_id):
    application = get_application_for_user(request, public_id)
    record = _submission_or_404(application)
    if record.package is None:
        raise Http404
    return stored_file_response(
        record.package, download_name=f"{record.application_number}.pdf", request=request
    )


@require_safe
@login_required
def ecopr(request, public_id, person_id):
    """One person's eCOPR (applications.ecopr): for the client and the representative of the
    application only, through the application's door."""
    application = get_application_for_user(request, public_id)
    confirmation = get_pr_confirmation_for_application(application, person_id)
    if confirmation.ecopr is None:
        raise Http404
    return stored_file_response(
        confirmation.ecopr, download_name=confirmation.ecopr.display_name, request=request
    )
