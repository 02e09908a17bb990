"""The one place allauth is customised (STYLE.md principle 12).

- Who may sign up, and as what kind of account (``signup_role``).
- One email address, one account, across every kind (workflow.md §12): an address that
  belongs to a client-portal account is refused at representative sign-up with a visible
  explanation. Other clashes keep allauth's enumeration protection (an "account already
  exists" email instead of an error).
- Sign-in starts the session clocks (accounts/session_policy.py); sign-out asks the browser
  to clear what it cached (``Clear-Site-Data``, added by ``SessionPolicyMiddleware``).
- allauth's own emails go through the outbox, in both languages (``send_mail``).
- A client invited by a representative cannot change their own email (``clean_email``).
- Audit rows for failed sign-ins, their rate limit and sign-out (QUALITY.md §8); the other
  authentication events are recorded from allauth's signals in accounts/auth_audit.py.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import session_policy
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_belongs_to_client": _(
            "This email address is already used by a client portal account. A representative "
            "can’t use a client account, and one address can’t belong to both kinds of "
            "account. To register with this address, ask for the client account to be "
            "deleted using the technical-issue web form. Applications started in the client "
            "account are not transferred to your new account."
        ),
        "client_temporary_password_expired": _(
            "This temporary password has expired. Ask your representative to resend it: they "
            "can send you a new one from your application. It works once, for a limited time."
        ),
        "client_temporary_password_used": _(
            "This temporary password was already used, and it works only once. If you did not "
            "choose your own password after using it, ask your representative to resend a new "
            "temporary password."
        ),
        "client_email_change": _(
            "You can’t change the email address of a client account yourself. Ask your "
            "representative to correct it."
        ),
    }

    # Kinds of account people may create for themselves: representatives, and individuals
    # who apply without a representative (a client account, on its own sign-up page).
    SELF_SIGNUP_ROLES = frozenset({User.Role.REPRESENTATIVE, User.Role.CLIENT})
    INDIVIDUAL_SIGNUP_VIEW = "accounts:individual_signup"

    def signup_role(self, request) -> str:
        """The kind of account the current sign-up creates: the page decides."""
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == self.INDIVIDUAL_SIGNUP_VIEW:
            return User.Role.CLIENT
        return User.Role.REPRESENTATIVE

    def is_open_for_signup(self, request) -> bool:
        return self.signup_role(request) in self.SELF_SIGNUP_ROLES

    def save_user(self, request, user, form, commit=True):
        user.role = self.signup_role(request)
        user = super().save_user(request, user, form, commit=commit)
        if commit and user.role == User.Role.CLIENT:
            from clients.services import client_self_register

            client_self_register(user=user)
        return user

    def validate_unique_email(self, email):
        """Called at sign-up (and email changes) after allauth's own uniqueness check.

        The client rule is a visible error on purpose: the issue asks for a clear message
        saying why and how to fix it, which outweighs hiding that a client account exists.
        """
        request = context.request
        if request is not None and self.signup_role(request) != User.Role.REPRESENTATIVE:
            return super().validate_unique_email(email)
        belongs_to_client = (
            User.objects.filter(
                Q(email__iexact=email) | Q(emailaddress__email__iexact=email),
                role=User.Role.CLIENT,
            )
            .values("pk")
            .exists()
        )
        if belongs_to_client:
            raise self.validation_error("email_belongs_to_client")
        return super().validate_unique_email(email)

    def clean_email(self, email: str) -> str:
        """Every email typed into allauth's forms passes here, including "change my email":
        a signed-in client is refused (their representative or staff correct it)."""
        request = context.request
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == User.Role.CLIENT:
            raise self.validation_error("client_email_change")
        return super().clean_email(email)

    def authenticate(self, request, **credentials):
        """A client who has not chosen a password yet signs in with the temporary one.

        It works once (it is burnt here) and until it expires; the right password past its
        expiry, or used a second time, gets a message telling the client to ask their
        representative to resend it. The failed-sign-in rate limit and audit apply as for any
        password. Re-authentication (signed in already) always uses the account's password.
        """
        from clients import services as client_services

        email = credentials.get("email") or ""
        password = credentials.get("password") or ""
        signed_in = request.user.is_authenticated
        client = None if signed_in or not email else client_services.client_for_first_sign_in(email)
        if client is None:
            return super().authenticate(request, **credentials)
        self.pre_authenticate(request, **credentials)
        outcome = client_services.client_temporary_password_use(client=client, password=password)
        if outcome == client_services.TemporaryPasswordUse.OK:
            self._rollback_login_failed_rl_usage()
            return client.user
        self.authentication_failed(request, **credentials)
        if outcome == client_services.TemporaryPasswordUse.EXPIRED:
            raise self.validation_error("client_temporary_password_expired")
        if outcome == client_services.TemporaryPasswordUse.USED:
            raise self.validation_error("client_temporary_password_used")
        return None

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from .auth_audit import audit_auth

            audit_auth(
                request,
                action="auth.rate_limited",
                obj=_account_for(credentials),
                outcome="denied",
                reason="login_failed",
            )
            raise

    def authentication_failed(self, request, **credentials):
        """A wrong password at sign-in or re-authentication: one audit row, no address in it."""
        from .auth_audit import audit_auth

        signed_in = request.user.is_authenticated
        audit_auth(
            request,
            action="auth.reauthentication_failed" if signed_in else "auth.login_failed",
            obj=_account_for(credentials),
            outcome="failure",
            reason="password",
        )
        super().authentication_failed(request, **credentials)

    def login(self, request, user):
        # Django gives the session a new key here (fixation); then both clocks start.
        super().login(request, user)
        session_policy.session_start(request.session)

    def logout(self, request):
        from .auth_audit import audit_auth

        if request.user.is_authenticated:
            audit_auth(request, action="auth.logged_out", obj=request.user)
        super().logout(request)
        request.clear_site_data = True

    def reauthenticate(self, user, password):
        ok = super().reauthenticate(user, password)
        if ok:
            # A fresh proof of identity gets a fresh session key (QUALITY.md §2).
            context.request.session.cycle_key()
        return ok

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's own emails (confirmation, reset, notifications) through the outbox.

        allauth's templates are rendered once in the recipient's language and once in the
        other, then combined into one bilingual message (accounts/emails.py). The idempotency
        key covers the template, the address, the rendered text and the current minute: a
        double submit queues one email, while the same request a minute later (whose text
        may be identical, e.g. "unknown account") queues another.
        """
        import hashlib

        from allauth.core import context as allauth_context  # `context` is the argument here
        from django.utils import timezone, translation

        from .emails import email_compose, email_languages, render_allauth_part
        from .services import outbox_add

        recipient = User.objects.filter(email__iexact=email).values_list(
            "preferred_language", flat=True
        )
        language = recipient.first() or translation.get_language()
        ctx = {"request": allauth_context.request, "email": email, **context}
        parts = [
            render_allauth_part(template_prefix, ctx, lang) for lang in email_languages(language)
        ]
        subject, text, html = email_compose(parts)
        minute = int(timezone.now().timestamp() // 60)
        digest = hashlib.sha256(f"{template_prefix}|{email}|{text}|{minute}".encode()).hexdigest()
        name = template_prefix.rsplit("/", 1)[-1]
        outbox_add(
            to=email,
            subject=subject,
            body_text=text,
            body_html=html,
            key=f"allauth:{name}:{digest}",
        )


def _account_for(credentials: dict) -> User | None:
    """The account a sign-in attempt named, if it exists (recorded by ID, never by address)."""
    email = credentials.get("email") or credentials.get("username") or ""
    if not email:
        return None
    return User.objects.filter(email__iexact=email).only("pk", "public_id", "role").first()


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """ "Sign out of the other sessions": each ended session writes an audit row."""

    def end_sessions(self, sessions) -> None:
        from .auth_audit import audit_auth

        request = context.request
        for session in sessions:
            session.end()
            audit_auth(request, action="session.ended", obj=request.user, reason="ended_by_user")
