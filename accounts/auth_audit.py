"""Audit rows for authentication events (QUALITY.md §8), from allauth's signals.

Each event writes exactly one row: who (actor ID and role), what (``auth.*``, ``mfa.*``,
``session.*``), on which account (its public ID), the method or factor as a reason code, the
IP and the request ID. Never an address, a name, a code or a password.

Recording an event is not a business process, so these receivers are the documented seam
allauth offers (signals) rather than a service call; the one side effect beyond the audit row,
ending the other sessions after a password change, is the security rule "other sessions end on
password change" (QUALITY.md §2).
"""

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa import signals as mfa_signals

from .request_meta import request_meta
from .services import audit_record, sessions_end


def audit_auth(request, *, action: str, obj=None, outcome: str = "success", reason: str = ""):
    user = getattr(request, "user", None) if request is not None else None
    return audit_record(
        actor=user,
        action=action,
        obj=obj,
        outcome=outcome,
        reason=reason,
        **request_meta(request),
    )


def _methods(request, user) -> str:
    """How the session was proven: "password", "password+totp", "password+recovery_codes"."""
    parts = []
    for record in get_authentication_records(request, user):
        part = record.get("type") if record.get("method") == "mfa" else record.get("method")
        if part and part not in parts:
            parts.append(str(part))
    return "+".join(parts)[:64]


def on_logged_in(sender, request, user, **kwargs):
    audit_auth(request, action="auth.logged_in", obj=user, reason=_methods(request, user))


def on_password_changed(sender, request, user, **kwargs):
    audit_auth(request, action="auth.password_changed", obj=user)
    # Django already refuses the other sessions (their auth hash is stale); ending them on the
    # server also removes them from the sessions list at once.
    sessions_end(
        user=user,
        reason="password_changed",
        actor=user,
        keep_session_key=request.session.session_key,
    )


def on_password_reset(sender, request, user, **kwargs):
    audit_record(actor=None, action="auth.password_reset", obj=user, **request_meta(request))
    sessions_end(user=user, reason="password_reset", actor=None)


def on_email_added(sender, request, user, email_address, **kwargs):
    audit_auth(request, action="auth.email_change_requested", obj=user)


def on_email_changed(sender, request, user, **kwargs):
    audit_auth(request, action="auth.email_changed", obj=user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    audit_auth(request, action="mfa.added", obj=user, reason=authenticator.type)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit_auth(request, action="mfa.removed", obj=user, reason=authenticator.type)


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    audit_auth(request, action="mfa.regenerated", obj=user, reason=authenticator.type)


def on_mfa_failed(sender, request, user, authenticator=None, **kwargs):
    reauthentication = kwargs.get("reauthentication", False)
    audit_auth(
        request,
        action="auth.reauthentication_failed" if reauthentication else "auth.login_failed",
        obj=user,
        outcome="failure",
        reason=getattr(authenticator, "type", "") or "mfa",
    )


def connect() -> None:
    """Called once from AccountsConfig.ready()."""
    uid = "accounts.auth_audit"
    account_signals.user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.logged_in")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.pw")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.reset")
    account_signals.email_added.connect(on_email_added, dispatch_uid=f"{uid}.email_added")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid=f"{uid}.email")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.added")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid=f"{uid}.removed"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.regen")
    mfa_signals.authentication_failed.connect(on_mfa_failed, dispatch_uid=f"{uid}.failed")
