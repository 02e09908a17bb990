from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import WrongState
from applications.uploads import stored_file_response

from .access import get_id_document_for_user, representative_next_url, representative_required
from .forms import RepresentativeProfileForm
from .models import MembershipBody, Representative
from .services import representative_submit_profile

HEADINGS = {
    Representative.Status.PROFILE_INCOMPLETE: gettext_lazy("Complete your profile"),
    Representative.Status.PENDING: gettext_lazy("Your profile is waiting for verification"),
    Representative.Status.REJECTED: gettext_lazy("Your profile needs changes"),
    Representative.Status.VERIFIED: gettext_lazy("Your profile is verified"),
    Representative.Status.SUSPENDED: gettext_lazy("Your account is suspended"),
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


def ensure_profile_editable(representative: Representative) -> None:
    if not representative.is_editable:
        raise WrongState(
            _(
                "Your profile has been verified, so it can no longer be changed here. "
                "Contact us to update it."
            )
        )


@representative_required(verified=False)
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    representative = request.representative
    ensure_profile_editable(representative)
    if request.method == "POST":
        form = RepresentativeProfileForm(
            request.POST, request.FILES, instance=representative, actor=request.user
        )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "id_upload"}
            representative_submit_profile(
                representative=representative,
                data=data,
                id_upload=form.cleaned_data.get("id_upload"),
                actor=request.user,
                ip=get_adapter(request).get_client_ip(request),
            )
            messages.success(request, _("Your profile was sent for verification."))
            return redirect("representatives:status")
    else:
        form = RepresentativeProfileForm(instance=representative)
    context = {
        "form": form,
        "representative": representative,
        "membership_bodies": MembershipBody.objects.active(),
        # A browser never sends a file again: say so when other errors dropped the one chosen.
        "upload_dropped": form.is_bound and "id_upload" in request.FILES,
    }
    return render(request, "representatives/representative_edit.html", context)


@representative_required(verified=False)
@require_safe
def status(request):
    representative = request.representative
    suspension = None
    if representative.status == Representative.Status.SUSPENDED:
        suspension = representative.events.filter(
            new_status=Representative.Status.SUSPENDED
        ).first()
    context = {
        "heading": HEADINGS[representative.status],
        "representative": representative,
        "suspension": suspension,
        "next_url": representative_next_url(representative) if representative.is_verified else None,
    }
    return render(request, "representatives/representative_status.html", context)


@representative_required(verified=False)
@require_safe
def id_document(request, public_id):
    document = get_id_document_for_user(request, public_id)
    return stored_file_response(
        document,
        download_name=_("identity-document") + "." + EXTENSIONS.get(document.kind, "bin"),
        request=request,
        actor=request.user,
    )
