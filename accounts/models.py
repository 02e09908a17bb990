import json
import uuid
from datetime import UTC

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.STAFF)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The email is the login and is unique across every kind of account."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        CLIENT = "client", _("Client")
        INDIVIDUAL = "individual", _("Individual applicant")
        STAFF = "staff", _("Staff")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Development demo accounts only; ignored unless settings.DEMO_MFA_SKIP is on.
    is_demo = models.BooleanField(_("demo account"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One address, one account, whatever its kind (workflow.md §12).
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def needs_mfa(self) -> bool:
        """Representatives and staff must use MFA (QUALITY.md §2)."""
        return self.role in (self.Role.REPRESENTATIVE, self.Role.STAFF) or self.is_staff


class OutboxEmail(models.Model):
    """One email, written in the same transaction as the action that caused it (QUALITY.md §6).

    The row is the record of work: the broker only carries its ID. Delivery is at-least-once;
    the fixed ``message_id`` lets a mail sink drop the one duplicate a worker dying between
    SMTP acceptance and the status update could cause.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("email status", "Pending")
        SENDING = "sending", pgettext_lazy("email status", "Sending")
        SENT = "sent", pgettext_lazy("email status", "Sent")
        DEAD = "dead", pgettext_lazy("email status", "Dead (gave up)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"))
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # When a send was last handed to the broker; the sweeper leaves fresh rows to that message.
    published_at = models.DateTimeField(_("last published"), default=timezone.now)
    # When a worker claimed the row; a row stuck in "sending" past a limit is retried.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # An exception class and SMTP code only: server replies can echo addresses.
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        indexes = [
            # outbox_sweep: due pending rows and stuck sending rows, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due_idx"),
        ]

    def __str__(self):
        return f"outbox email {self.pk} ({self.status})"


class AuditEvent(models.Model):
    """An append-only, hash-chained record of who did what to which object (QUALITY.md §8).

    On PostgreSQL a trigger rejects UPDATE and DELETE, and a deferred trigger assigns ``seq``,
    ``prev_hash`` and ``row_hash`` at commit time under an advisory lock, so the chain follows
    commit order and no business transaction holds the lock while it works (no deadlocks).
    ``content_hash`` is computed in Python over the canonical fields (``canonical_content``).
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", pgettext_lazy("audit outcome", "Success")
        FAILURE = "failure", pgettext_lazy("audit outcome", "Failure")
        DENIED = "denied", pgettext_lazy("audit outcome", "Denied")

    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("actor role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.UUIDField(_("object ID"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    reason = models.CharField(_("reason code"), max_length=64, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    seq = models.BigIntegerField(_("chain position"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    row_hash = models.CharField(_("row hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The admin's per-object search and any per-object trail (evidence pages).
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The admin list filter and reports by action ("file.rejected" this week).
            models.Index(fields=["action", "created_at"], name="audit_action_time_idx"),
        ]

    def __str__(self):
        return f"{self.action} ({self.outcome})"

    def canonical_content(self) -> bytes:
        """The bytes ``content_hash`` covers: sorted-key JSON of the canonical fields."""
        fields = {
            "action": self.action,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "ip": self.ip,
            "object_id": str(self.object_id) if self.object_id else None,
            "object_type": self.object_type,
            "outcome": self.outcome,
            "reason": self.reason,
            "request_id": self.request_id,
        }
        return json.dumps(
            fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()


class StoredFile(models.Model):
    """A checked upload in private storage, served only through an access-checked view.

    The storage name is random (``<purpose>/<token>.<ext>``); ``display_name`` is the normalised
    original name, for display and downloads only.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Named by applications.uploads.upload_store, never from the uploaded name.
    file = models.FileField(_("file"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width (pixels)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (pixels)"), null=True, blank=True)
    display_name = models.CharField(_("file name"), max_length=200)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=40)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self):
        return f"{self.kind} file {self.public_id}"


class MfaResetRequest(models.Model):
    """Someone who lost both their authenticator app and their recovery codes asks staff to
    remove their two-step verification so they can enrol again (issue 9 item 5).

    The request can only be made after the password step of a sign-in. Staff grant it only
    after checking the person's identity outside the portal, and record how
    (``identity_check``); granting removes every authenticator through
    ``accounts.services.mfa_reset_grant``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("MFA reset status", "Waiting for staff")
        GRANTED = "granted", pgettext_lazy("MFA reset status", "Granted")
        REFUSED = "refused", pgettext_lazy("MFA reset status", "Refused")

    # The only definition of the allowed status changes (accounts.services._mfa_reset_decide).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.GRANTED, Status.REFUSED}),
        Status.GRANTED: frozenset(),
        Status.REFUSED: frozenset(),
    }

    class IdentityCheck(models.TextChoices):
        PHONE_CALLBACK = "phone_callback", _("Called back on the telephone number on file")
        VIDEO_ID = "video_id", _("Video call with government-issued photo identification")
        IN_PERSON = "in_person", _("In person with government-issued photo identification")
        REGULATOR = "regulator", _("Confirmed with the regulator’s membership record and a call")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="mfa_reset_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    identity_check = models.CharField(
        _("identity check"), max_length=20, choices=IdentityCheck.choices, blank=True
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ("-requested_at",)
        verbose_name = _("two-step verification reset request")
        verbose_name_plural = _("two-step verification reset requests")
        constraints = [
            # One open request per account (accounts.services.mfa_reset_request_create).
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="mfa_reset_one_pending"
            ),
        ]

    def __str__(self):
        return f"MFA reset {self.public_id} ({self.status})"
