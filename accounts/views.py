from allauth.account.views import SignupView
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.models import Program
from representatives.access import get_representative_for_user, representative_next_url

from . import session_policy
from .forms import MfaResetRequestForm
from .models import User
from .request_meta import request_meta
from .services import mfa_reset_request_create


@require_safe
def home(request):
    """The public landing page; signed-in people go straight to their own start page."""
    if request.user.is_authenticated:
        return redirect("accounts:start")
    programs = Program.objects.active().only("code", "name_en", "name_fr", "order")
    return render(request, "pages/home.html", {"programs": programs})


class IndividualSignupView(SignupView):
    """allauth's sign-up for individuals who apply without a representative: the same form,
    email verification and password rules; the adapter makes it a client account
    (``AccountAdapter.signup_role``). MFA is offered afterwards, not required."""

    template_name = "account/signup_individual.html"


individual_signup = IndividualSignupView.as_view()


@require_safe
@login_required
def start(request):
    """Send each kind of account to where its work is."""
    user = request.user
    if user.is_staff:
        return redirect("admin:index")
    if user.role == User.Role.REPRESENTATIVE:
        next_url = representative_next_url(get_representative_for_user(request))
        if next_url:
            return redirect(next_url)
        return render(request, "pages/start.html")
    if user.role == User.Role.CLIENT:
        return redirect("clients:home")
    return render(request, "pages/start.html")


@require_safe
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
def terms(request):
    return render(request, "pages/terms.html")


@require_POST
@login_required
def session_keepalive(request):
    """ "Continue session": renew the idle clock and say how long the session now has left.

    Answers 204 with ``X-Session-Expires-In`` (seconds). An ended session never gets here:
    the session middleware has already signed it out, so the caller sees a redirect.
    """
    session_policy.session_renew(request.session, force=True)
    state = session_policy.session_state(request.session, request.user)
    response = HttpResponse(status=204)
    response["X-Session-Expires-In"] = str(state.expires_in)
    return response


@require_safe
def signed_out(request):
    """Where the timeout dialog lands once the session has ended for inactivity."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return render(
        request,
        "account/signed_out.html",
        {"next_url": next_url, "idle_minutes": settings.SESSION_IDLE_SECONDS // 60},
    )


# --- Account self-service (issue 9 item 5) --------------------------------------------------


def can_change_own_email(user) -> bool:
    """Representatives, staff and individual applicants change their own email (verified again
    before it takes effect). A client invited by a representative has it corrected by the
    representative or staff instead (QUALITY.md §2)."""
    return user.is_authenticated and user.role != User.Role.CLIENT


@require_safe
@login_required
def account(request):
    """The "Account" page: links to every self-service page allauth provides."""
    return render(
        request,
        "account/account_overview.html",
        {"can_change_email": can_change_own_email(request.user)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def email_manage(request):
    """allauth's email page, closed to clients (their representative corrects their email).

    Routed at allauth's own address (``account_email``) ahead of allauth's URLs; the adapter
    refuses the change too (``AccountAdapter.clean_email``), so neither path lets a client
    change it.
    """
    if not can_change_own_email(request.user):
        return render(request, "account/email_change_not_allowed.html", status=403)
    from allauth.account.views import email

    return email(request)


def _pending_mfa_user(request):
    """The account whose sign-in is waiting at the two-step verification step, if any: the
    password was right, the second factor not given yet."""
    from allauth.account.internal.stagekit import get_pending_stage

    stage = get_pending_stage(request)
    if stage is None or stage.key != "mfa_authenticate":
        return None
    return stage.login.user


@require_http_methods(["GET", "HEAD", "POST"])
def mfa_reset_request(request):
    """ "I lost my authenticator app and my recovery codes": ask staff for a reset.

    Only reachable in the middle of a sign-in, after the password step, so a stranger cannot
    file requests for other people's accounts.
    """
    user = _pending_mfa_user(request)
    if user is None:
        return render(request, "account/mfa_reset_start.html")
    form = MfaResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        mfa_reset_request_create(user=user, **request_meta(request))
        return redirect("accounts:mfa_reset_requested")
    return render(request, "account/mfa_reset_request.html", {"form": form})


@require_safe
def mfa_reset_requested(request):
    return render(request, "account/mfa_reset_requested.html")
