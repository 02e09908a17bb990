import logging
from urllib.parse import urlencode

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import session_policy
from .errors import DomainError
from .models import User

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Send ``Cache-Control: no-store`` with every signed-in response (Protected B)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class PreferredLanguageMiddleware:
    """Remember the language a signed-in person last chose, for emails and the next sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = get_language()
        if (
            user is not None
            and user.is_authenticated
            and language in dict(settings.LANGUAGES)
            and user.preferred_language != language
        ):
            User.objects.filter(pk=user.pk).update(preferred_language=language)
        return response


class DomainErrorMiddleware:
    """Render a DomainError with its own status and template, so views never catch them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(
                request, exception.template, {"message": exception.message}, status=exception.status
            )
        return None


def _sign_in_again(request, message, *, next_url):
    """Redirect to sign-in, coming back to ``next_url`` afterwards, with a message."""
    messages.info(request, message)
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def _page_they_were_on(request) -> str:
    # A POST's target is usually the page's own address; GETs keep their query string.
    return request.get_full_path() if request.method in ("GET", "HEAD") else request.path


def _view_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name


def _audit_session_ended(request, user, reason: str) -> None:
    """The server ended this session (QUALITY.md §8: ended sessions are audited)."""
    from .request_meta import request_meta
    from .services import audit_record

    audit_record(
        actor=user, action="session.ended", obj=user, reason=reason, **request_meta(request)
    )


# Requests that go ahead, as anonymous, once an expired or unproven session has been ended:
# signing out, the page that says you were signed out, the keepalive (which then answers
# "no") and the language switch.
PASS_THROUGH_AFTER_SIGN_OUT = frozenset(
    {"account_logout", "accounts:signed_out", "accounts:session_keepalive", "set_language"}
)


class SessionPolicyMiddleware:
    """Idle and absolute session limits, enforced on the server (QUALITY.md §2).

    Every request from a signed-in person is checked against both limits first; an
    expired session is ended (deleted on the server) and the person is sent to sign in,
    coming back to the same page. Requests marked ``X-Poll: 1`` never renew the session.
    Also adds ``Clear-Site-Data`` to the response that signs someone out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            state = session_policy.session_state(request.session, user)
            if state.expired:
                response = self._end(request, user, state.expired)
                if response is not None:
                    return response
            else:
                if request.headers.get("X-Poll") != "1":
                    session_policy.session_renew(request.session)
                    state = session_policy.session_state(request.session, user)
                request.session_expires_in = state.expires_in
        response = self.get_response(request)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response

    def _end(self, request, user, reason):
        if reason == session_policy.IDLE:
            message = _(
                "Your session ended after %(minutes)s minutes without activity. "
                "Your work was saved. Sign in again to continue where you left off."
            ) % {"minutes": settings.SESSION_IDLE_SECONDS // 60}
        else:
            message = _(
                "Your session ended because it reached its maximum length of %(hours)s hours. "
                "Your work was saved. Sign in again to continue where you left off."
            ) % {"hours": session_policy.absolute_limit(user) // 3600}
        logger.info("session ended: %s", reason, extra={"user_id": user.pk})
        _audit_session_ended(request, user, reason)
        next_url = _page_they_were_on(request)
        logout(request)
        if _view_name(request) in PASS_THROUGH_AFTER_SIGN_OUT:
            return None
        return _sign_in_again(request, message, next_url=next_url)


# Pages an unenrolled representative or staff member may still open: enrolment itself
# (including the re-authentication allauth asks for before it, and the recovery codes shown
# after it), signing out, the keepalive, the signed-out page and the language switch.
# Static files never reach this middleware (WhiteNoise answers them first).
MFA_ENROLMENT_EXEMPT = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        *PASS_THROUGH_AFTER_SIGN_OUT,
    }
)


def session_passed_mfa(request, user) -> bool:
    """Whether this session (not merely this account) has passed a second factor."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


class MfaEnrolmentMiddleware:
    """MFA is mandatory for representatives and staff (QUALITY.md §2; allauth#3649).

    - Someone who must use MFA and has no authenticator app is sent to enrolment from every
      page except those in ``MFA_ENROLMENT_EXEMPT``.
    - Anyone who owns an authenticator app but whose *session* never passed the second
      factor is signed out and asked to sign in again.
    - Development demo accounts skip this while ``DEMO_MFA_SKIP`` is on (never in production:
      the deploy check refuses it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and _view_name(request) == "mfa_activate_totp"
            and request.user.is_authenticated
        ):
            self._record_enrolment(request, request.user)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if settings.DEMO_MFA_SKIP and user.is_demo:
            request.demo_mfa_skipped = user.needs_mfa
            return None
        view_name = request.resolver_match.view_name
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if has_totp and not session_passed_mfa(request, user):
            logger.warning("session without MFA refused", extra={"user_id": user.pk})
            _audit_session_ended(request, user, "mfa_not_passed")
            next_url = _page_they_were_on(request)
            logout(request)
            if view_name in PASS_THROUGH_AFTER_SIGN_OUT:
                return None
            return _sign_in_again(
                request,
                _("Sign in again with your password and your authenticator app."),
                next_url=next_url,
            )
        if not has_totp and user.needs_mfa and view_name not in MFA_ENROLMENT_EXEMPT:
            return redirect("mfa_activate_totp")
        return None

    def _record_enrolment(self, request, user):
        """Enrolling means typing a valid code from the new app: that session passed MFA."""
        authenticator = (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).only("pk").first()
        )
        if authenticator is not None and not session_passed_mfa(request, user):
            record_authentication(
                request, user, "mfa", id=authenticator.pk, type="totp", enrolled=True
            )
