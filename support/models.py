import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applications.models import _localised


class HelpArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def search(self, terms: str, language: str):
        """Every word must appear in the question or the answer, in the page's language."""
        suffix = "fr" if language.startswith("fr") else "en"
        query = self
        for word in terms.split()[:10]:
            query = query.filter(
                Q(**{f"question_{suffix}__icontains": word})
                | Q(**{f"answer_{suffix}__icontains": word})
            )
        return query


class HelpArticle(models.Model):
    """A question and its answer in the Help Centre, written by staff in both languages."""

    class Topic(models.TextChoices):
        ACCOUNTS = "accounts", _("Accounts and signing in")
        APPLICATIONS = "applications", _("Preparing an application")
        DOCUMENTS = "documents", _("Documents and uploads")
        SIGNATURES = "signatures", _("Review and signatures")
        SUBMISSION = "submission", _("Submission and after")
        CLIENTS = "clients", _("For clients")

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question_en = models.CharField(_("question (English)"), max_length=250)
    question_fr = models.CharField(_("question (French)"), max_length=250)
    answer_en = models.TextField(_("answer (English)"))
    answer_fr = models.TextField(_("answer (French)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HelpArticleQuerySet.as_manager()

    class Meta:
        ordering = ("topic", "order", "pk")
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")

    def __str__(self):
        return self.question_en

    @property
    def question(self) -> str:
        return _localised(self, "question")

    @property
    def answer(self) -> str:
        return _localised(self, "answer")


# --- Technical-issue web form (workflow.md §11) ------------------------------------------

# Letters and digits nobody confuses when reading a reference over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PREFIX = "TI-"
REFERENCE_LENGTH = 8


class SupportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The requests a person sees in the portal: the ones they sent while signed in.

        Staff work on requests in the admin, never through the portal pages.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(submitted_by=user)


class SupportRequest(models.Model):
    """A technical issue sent through the web form, signed in or not."""

    class Category(models.TextChoices):
        SIGN_IN = "sign_in", _("Signing in or password")
        TEMPORARY_PASSWORD = "temporary_password", _("Temporary password (clients)")
        CLIENT_ACCOUNT_BY_MISTAKE = (
            "client_account_by_mistake",
            _("A client portal account was created by mistake"),
        )
        UPLOADS = "uploads", _("Uploading documents")
        DIGITAL_FORMS = "digital_forms", _("Digital forms")
        SIGNATURES = "signatures", _("Signatures")
        SUBMISSION = "submission", _("Submitting an application")
        FEES = "fees", _("Fees and payment")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("support request status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("support request status", "In progress")
        WAITING_FOR_REPLY = (
            "waiting_for_reply",
            pgettext_lazy("support request status", "Waiting for your reply"),
        )
        RESOLVED = "resolved", pgettext_lazy("support request status", "Resolved")
        CLOSED = "closed", pgettext_lazy("support request status", "Closed")

    # The only definition of the allowed status changes (support.services._transition).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.NEW: frozenset(
            {Status.IN_PROGRESS, Status.WAITING_FOR_REPLY, Status.RESOLVED, Status.CLOSED}
        ),
        Status.IN_PROGRESS: frozenset({Status.WAITING_FOR_REPLY, Status.RESOLVED, Status.CLOSED}),
        Status.WAITING_FOR_REPLY: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}),
        Status.RESOLVED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
        Status.CLOSED: frozenset(),
    }
    # The requester may add information while staff can still act on it.
    OPEN = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING_FOR_REPLY, Status.RESOLVED})

    # The placeholders the form asks for when there is no UCI or application number yet.
    NO_UCI = "1111111111"
    NO_APPLICATION_NUMBER = "0000000"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference number"), max_length=12, unique=True)
    category = models.CharField(_("problem"), max_length=30, choices=Category.choices)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    uci = models.CharField(_("UCI"), max_length=10)
    application_number = models.CharField(_("application number"), max_length=10)
    program = models.ForeignKey(
        "applications.Program",
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by (signed in)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    language = models.CharField(_("language"), max_length=2, default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("technical issue")
        verbose_name_plural = _("technical issues")
        indexes = [
            # support.views.request_list: one person's requests, newest first.
            models.Index(fields=["submitted_by", "-created_at"], name="support_req_sender"),
            # The admin's default list filtered by status, newest first.
            models.Index(fields=["status", "-created_at"], name="support_req_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uci__regex=r"^([0-9]{8}|[0-9]{10})$"),
                name="support_request_uci_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(application_number="0000000")
                | models.Q(application_number__regex=r"^[A-Z][0-9]{9}$"),
                name="support_request_application_number_format",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def has_uci(self) -> bool:
        return self.uci != self.NO_UCI

    @property
    def has_application_number(self) -> bool:
        return self.application_number != self.NO_APPLICATION_NUMBER


class SupportScreenshot(models.Model):
    """One checked image attached to a request (re-encoded by the upload pipeline)."""

    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="screenshots"
    )
    file = models.OneToOneField("accounts.StoredFile", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ("order", "id")
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self):
        return f"screenshot {self.order} of {self.support_request_id}"


class SupportEvent(models.Model):
    """One line of a request's history. Written only by support.services; never edited."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request sent")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        REPLIED = "replied", _("Reply sent by email")
        NOTE = "note", _("Internal note")
        FOLLOW_UP = "follow_up", _("Information added by the requester")

    # What the requester sees on their own request page; notes and assignments stay internal.
    SHOWN_TO_REQUESTER = frozenset(
        {Kind.SUBMITTED, Kind.STATUS_CHANGED, Kind.REPLIED, Kind.FOLLOW_UP}
    )

    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    old_status = models.CharField(
        _("previous status"), max_length=20, choices=SupportRequest.Status.choices, blank=True
    )
    new_status = models.CharField(
        _("new status"), max_length=20, choices=SupportRequest.Status.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [
            # The admin's history inline and the requester's page: one request's events in order.
            models.Index(fields=["support_request", "at"], name="support_event_request"),
        ]

    def __str__(self):
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
