"""A client's portal account, as a representative's invitation created it.

The client is the principal applicant of one or more applications. A representative never sets
or sees the client's password: the portal emails a temporary one-time password (stored only as
a hash) that the client uses once to activate the account (workflow.md §2.2, QUALITY.md §2).
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """The link between a client's ``User`` (role client) and their invitation."""

    class AccessState(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        TEMPORARY_PASSWORD_EXPIRED = "temporary_password_expired", _("Temporary password expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client"
    )
    # Only a hash of the current temporary password; issuing a new one replaces it, so the
    # previous one stops working at once.
    temporary_password_hash = models.CharField(max_length=256, blank=True)
    temporary_password_expires_at = models.DateTimeField(null=True, blank=True)
    temporary_password_sent_at = models.DateTimeField(null=True, blank=True)
    temporary_password_used_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self):
        return str(self.public_id)

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_active_account(self) -> bool:
        return self.activated_at is not None

    def access_state(self, now: datetime | None = None) -> str:
        """invited / active / temporary_password_expired, derived from the invitation fields.

        A client who signed in with the temporary password but never chose their own password
        stays invited (the password is used up, so the representative can resend one).
        """
        if self.activated_at is not None:
            return self.AccessState.ACTIVE
        if self.temporary_password_used_at is not None:
            return self.AccessState.INVITED
        now = now or timezone.now()
        expires = self.temporary_password_expires_at
        if expires is not None and expires <= now:
            return self.AccessState.TEMPORARY_PASSWORD_EXPIRED
        return self.AccessState.INVITED

    def get_access_state_display(self) -> str:
        return self.AccessState(self.access_state()).label

    @property
    def temporary_password_expired(self) -> bool:
        return self.access_state() == self.AccessState.TEMPORARY_PASSWORD_EXPIRED


class TemporaryPasswordIssue(models.Model):
    """One temporary password issued to a client: the invitation, a resend or an email correction.

    Append-only. The resend rate limit counts these rows (under the client's row lock).
    """

    class Reason(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        RESEND = "resend", _("Resent by the representative")
        EMAIL_CORRECTION = "email_correction", _("Email address corrected")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="password_issues")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("temporary password issue")
        verbose_name_plural = _("temporary password issues")
        indexes = [
            # clients.services.resend_retry_at counts a client's issues in the last 24 hours.
            models.Index(fields=["client", "-issued_at"], name="client_pw_issue_recent"),
        ]

    def __str__(self):
        return f"{self.reason} at {self.issued_at:%Y-%m-%d %H:%M}"


class CorrectionRequest(models.Model):
    """A client's message asking their representative to correct something (workflow.md §5.1).

    The client can change nothing in an application; this is how they say what is wrong. The
    typed text stays here only: history rows, audit rows and emails carry the topic code.
    """

    MESSAGE_MAX_LENGTH = 2000

    class Topic(models.TextChoices):
        FORM = "form", _("A digital form")
        PROFILE = "profile", _("Personal information in a profile")
        DOCUMENTS = "documents", _("The uploaded documents")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Dealt with")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="correction_requests"
    )
    topic = models.CharField(_("what needs correcting"), max_length=20, choices=Topic.choices)
    # For a form: which one (a forms_imm key) and whose (the person may be removed later).
    form = models.CharField(_("form"), max_length=30, blank=True)
    person = models.ForeignKey(
        "applications.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("dealt with at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [
            # The representative's panel (open ones) and the client's rate limit (recent ones).
            models.Index(fields=["application", "status", "-created_at"], name="correction_recent"),
        ]

    def __str__(self):
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
