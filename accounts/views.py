from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from applications.models import Program
from representatives.access import get_representative_for_user, representative_next_url

from . import session_policy
from .models import User


@require_safe
def home(request):
    """The public landing page; signed-in people go straight to their own start page."""
    if request.user.is_authenticated:
        return redirect("accounts:start")
    programs = Program.objects.active().only("code", "name_en", "name_fr", "order")
    return render(request, "pages/home.html", {"programs": programs})


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
