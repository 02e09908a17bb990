"""PR confirmation in the client's account (workflow.md §10): for each person becoming a
permanent resident, the client declares presence in Canada, gives the Canadian address and
uploads the photo; once staff confirm, an error in the eCOPR can be reported. (The eCOPR
itself is downloaded through applications:ecopr, by the client and the representative.)

Each view: door (``get_application_for_user`` then ``get_pr_confirmation_for_application``),
state guard, form, one service of applications.pr_confirmation, redirect.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.errors import WrongState
from accounts.request_meta import client_ip
from applications import pr_confirmation as services
from applications.access import get_application_for_user, get_pr_confirmation_for_application

from .forms import EcoprErrorForm, PRConfirmationForm
from .views import client_required


def _confirmation(request, public_id, person_id):
    application = get_application_for_user(request, public_id)
    return get_pr_confirmation_for_application(application, person_id)


@require_http_methods(["GET", "POST"])
@client_required
def pr_confirm(request, public_id, person_id):
    """Presence in Canada, address and photo for one person (again after a rejection)."""
    confirmation = _confirmation(request, public_id, person_id)
    if not confirmation.client_can_send:
        raise WrongState()
    initial = None
    if confirmation.state == confirmation.State.PHOTO_REJECTED:
        # What was sent before, so only the photo needs choosing again.
        initial = {
            "in_canada": "yes",
            "entered_canada_on": confirmation.entered_canada_on,
            **{name: getattr(confirmation, name) for name in services.ADDRESS_FIELDS},
        }
    form = PRConfirmationForm(
        request.POST or None, request.FILES or None, initial=initial, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        services.pr_confirmation_send(
            confirmation=confirmation,
            actor=request.user,
            in_canada=form.cleaned_data["in_canada"],
            entered_canada_on=form.cleaned_data["entered_canada_on"],
            address=form.address(),
            photo=form.cleaned_data["photo"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            _("Sent. The processing office will review the photo of %(name)s.")
            % {"name": confirmation.person.full_name},
        )
        return redirect("clients:application", public_id=public_id)
    return render(
        request,
        "clients/pr_confirm.html",
        {"application": confirmation.application, "confirmation": confirmation, "form": form},
    )


@require_http_methods(["GET", "POST"])
@client_required
def ecopr_error(request, public_id, person_id):
    """Report an error in an issued eCOPR: which information, and what it should be."""
    confirmation = _confirmation(request, public_id, person_id)
    if confirmation.ecopr_id is None:
        raise WrongState()
    form = EcoprErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ecopr_error_report(
            confirmation=confirmation,
            actor=request.user,
            field=form.cleaned_data["field"],
            correct_value=form.cleaned_data["correct_value"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            _("Your report was sent. The processing office and your representative were told."),
        )
        return redirect("clients:application", public_id=public_id)
    return render(
        request,
        "clients/ecopr_error.html",
        {"application": confirmation.application, "confirmation": confirmation, "form": form},
    )
