"""Applications and the program catalogue.

The catalogue (programs, checklists, fees, intake) is data that staff edit in the admin; it is
loaded by the data migration ``0002_fill_programs`` from ``applications/data/programs.json``.
Nothing here hard-codes a program fact; rules that need code are named checks registered in
``applications/program_checks.py``.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def _localised(obj, field: str) -> str:
    french = getattr(obj, f"{field}_fr", "")
    if (get_language() or "en").startswith("fr") and french:
        return french
    return getattr(obj, f"{field}_en")


# The signable items every program gets unless staff change it (applications.signatures).
DEFAULT_SIGNABLE_ITEMS = ("consent", "imm5669")


def default_signable_items() -> list[str]:
    return list(DEFAULT_SIGNABLE_ITEMS)


class ProgramQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Program(models.Model):
    """One immigration program offered in the portal, with everything that varies by program."""

    class Category(models.TextChoices):
        ECONOMIC = "economic", _("Economic")
        FAMILY = "family", _("Family")
        REFUGEE = "refugee", _("Refugee")
        HUMANITARIAN = "humanitarian", _("Humanitarian and public policy")
        DOCUMENT = "document", _("Permanent resident documents")
        PERMIT = "permit", _("Permit holders")

    class DigitalForms(models.TextChoices):
        STANDARD = "standard", _("IMM 0008, IMM 5669, IMM 5406 and IMM 5562")
        IMM5444 = "imm5444", _("IMM 5444 (permanent resident card and travel document)")

    class SigningMode(models.TextChoices):
        PA_SIGNS_ALL = "pa_signs_all", _("The principal applicant signs for the whole application")
        EACH_ADULT_SIGNS = "each_adult_signs", _("Each adult signs their own IMM 5669")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    guide_number = models.CharField(_("instruction guide number"), max_length=30, blank=True)
    guide_title_en = models.CharField(_("guide title (English)"), max_length=250, blank=True)
    guide_title_fr = models.CharField(_("guide title (French)"), max_length=250, blank=True)
    other_guides = models.JSONField(_("other guides"), default=list, blank=True)
    fee_category = models.CharField(_("fee category"), max_length=40, blank=True)
    imm5562_required = models.BooleanField(
        _("IMM 5562 required"),
        null=True,
        blank=True,
        help_text=_("Unknown (empty): the form is optional and never blocks submission."),
    )
    digital_forms = models.CharField(
        _("digital forms"), max_length=20, choices=DigitalForms.choices, default="standard"
    )
    signing_mode = models.CharField(
        _("who signs each IMM 5669"),
        max_length=20,
        choices=SigningMode.choices,
        default=SigningMode.PA_SIGNS_ALL,
    )
    signable_items = models.JSONField(
        _("items signed electronically"),
        default=default_signable_items,
        blank=True,
        help_text=_(
            "Codes of the items the client signs with a typed name: consent (IMM 0008 consent "
            "and declaration), imm5669 (each person who needs one), imm5444_declaration. An "
            "item whose digital form is not available yet is not asked for."
        ),
    )
    allows_dependants = models.BooleanField(_("dependants allowed"), default=True)
    forbidden_provinces = models.JSONField(_("provinces not allowed"), default=list, blank=True)
    required_provinces = models.JSONField(_("provinces required"), default=list, blank=True)
    rprf_exempt = models.BooleanField(_("exempt from the right of PR fee"), default=False)
    application_number_prefix = models.CharField(
        _("application number prefix"), max_length=1, default="E"
    )
    checks = models.JSONField(
        _("named checks"),
        default=list,
        blank=True,
        help_text=_("Program rules that need code, by name (see the list of registered checks)."),
    )
    details_fields = models.JSONField(_("program-specific details"), default=list, blank=True)
    special_rules_en = models.TextField(_("special rules (English)"), blank=True)
    special_rules_fr = models.TextField(_("special rules (French)"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        permissions = [("manage_intake", _("Can open, pause and close intake"))]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def guide_title(self) -> str:
        return _localised(self, "guide_title")

    @property
    def special_rules(self) -> str:
        return _localised(self, "special_rules")


class ProgramIntake(models.Model):
    """Whether a program takes applications now, and its cap.

    ``used`` is the cap counter: submission locks the application and then this row (always in
    that order) and increments it, so concurrent submissions can never exceed ``cap``.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")
        INVITATION_ONLY = "invitation_only", _("By invitation only")

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="intake")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    opens_at = models.DateField(_("opens on"), null=True, blank=True)
    closes_at = models.DateField(_("closes after"), null=True, blank=True)
    cap = models.PositiveIntegerField(_("cap"), null=True, blank=True)
    used = models.PositiveIntegerField(_("applications counted against the cap"), default=0)
    counts_only_complete = models.BooleanField(_("only complete applications count"), default=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    note_fr = models.TextField(_("note (French)"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    is_uncertain = models.BooleanField(_("uncertain"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intake")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(used__lte=models.F("cap")),
                name="intake_used_within_cap",
            )
        ]

    def __str__(self):
        return f"{self.program.code}: {self.state}"

    @property
    def note(self) -> str:
        return _localised(self, "note")

    def accepts_new_applications(self, on) -> bool:
        """Open (or by invitation) and inside its window on the date ``on``."""
        if self.state not in (self.State.OPEN, self.State.INVITATION_ONLY):
            return False
        if self.opens_at and on < self.opens_at:
            return False
        return not (self.closes_at and on > self.closes_at)

    @property
    def fill_ratio(self) -> float | None:
        return None if not self.cap else self.used / self.cap


class IntakeChange(models.Model):
    """One change of a program's intake made by staff (applications.intake): who, when, the
    state and cap before and after, and how many representatives were warned. Append-only:
    written by ``program_intake_change`` only, shown read-only in the admin."""

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="intake_changes", verbose_name=_("program")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    old_state = models.CharField(
        _("state before"), max_length=20, choices=ProgramIntake.State.choices
    )
    new_state = models.CharField(
        _("state after"), max_length=20, choices=ProgramIntake.State.choices
    )
    old_cap = models.PositiveIntegerField(_("cap before"), null=True, blank=True)
    new_cap = models.PositiveIntegerField(_("cap after"), null=True, blank=True)
    representatives_warned = models.PositiveIntegerField(_("representatives warned"), default=0)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("intake change")
        verbose_name_plural = _("intake changes")
        indexes = [
            # The intake page (applications.admin.ProgramAdmin.intake_view) shows one
            # program's latest changes.
            models.Index(fields=["program", "-at"], name="intake_change_recent"),
        ]

    def __str__(self):
        return f"{self.old_state} -> {self.new_state} at {self.at:%Y-%m-%d %H:%M}"


class ChecklistItem(models.Model):
    """A PDF form or supporting document a program asks for, per person role.

    Items are never deleted while applications may refer to them: staff switch ``is_active``
    off, so draft uploads in that slot can be flagged as no longer needed.
    """

    class Kind(models.TextChoices):
        IRCC_FORM = "ircc_form", _("IRCC PDF form")
        DOCUMENT = "document", _("Supporting document")
        FEE_RECEIPT = "fee_receipt", _("Fee receipt")
        PHOTO = "photo", _("Photo")

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("Required")
        CONDITIONAL = "conditional", _("Required in some cases")
        OPTIONAL = "optional", _("Optional")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="checklist")
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    form_number = models.CharField(_("form number"), max_length=30, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=250)
    name_fr = models.CharField(_("name (French)"), max_length=250)
    roles = models.JSONField(_("for whom"), default=list)
    requirement = models.CharField(_("requirement"), max_length=20, choices=Requirement.choices)
    condition_en = models.TextField(_("condition (English)"), blank=True)
    condition_fr = models.TextField(_("condition (French)"), blank=True)
    wet_signature = models.BooleanField(_("signed by hand"), default=False)
    signers_en = models.CharField(_("signers (English)"), max_length=250, blank=True)
    signers_fr = models.CharField(_("signers (French)"), max_length=250, blank=True)
    accepted_types = models.JSONField(_("accepted file types"), default=list)
    note_en = models.TextField(_("guidance (English)"), blank=True)
    note_fr = models.TextField(_("guidance (French)"), blank=True)
    is_uncertain = models.BooleanField(_("uncertain"), default=False)
    is_active = models.BooleanField(_("asked for"), default=True)
    # IMM 5476: asked for only when a representative prepares the application (not of a
    # self-represented individual until they appoint one).
    only_with_representative = models.BooleanField(
        _("only when a representative is appointed"), default=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # IRCC PDF forms carry a version date at the bottom left; uploads of an older one are flagged.
    current_version_date = models.DateField(
        _("current form version date"),
        null=True,
        blank=True,
        help_text=_(
            "For IRCC PDF forms: the version date printed at the bottom left of the current "
            "form. Uploads that give an older date are flagged."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("program", "order")
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="checklist_code_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def condition(self) -> str:
        return _localised(self, "condition")

    @property
    def note(self) -> str:
        return _localised(self, "note")

    @property
    def signers(self) -> str:
        return _localised(self, "signers")


class FeeRule(models.Model):
    """One fee amount for a fee category and role, valid over a date range (fees change)."""

    class Role(models.TextChoices):
        PA = "pa", _("Principal applicant")
        SPOUSE = "spouse", _("Spouse or partner")
        CHILD = "child", _("Dependent child")
        CHILD_PA = "child_pa", _("Sponsored child (principal applicant)")
        SPONSORSHIP = "sponsorship", _("Sponsorship fee")
        RPRF = "rprf", _("Right of permanent residence fee")
        BIOMETRICS = "biometrics", _("Biometrics, per person")
        BIOMETRICS_FAMILY_MAX = "biometrics_family_max", _("Biometrics, family maximum")
        DOCUMENT = "document", _("Document fee")

    fee_category = models.CharField(_("fee category"), max_length=40)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    amount = models.DecimalField(_("amount (CAD)"), max_digits=8, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source_note = models.TextField(_("source"), blank=True)
    is_uncertain = models.BooleanField(_("uncertain"), default=False)

    class Meta:
        ordering = ("fee_category", "role", "effective_from")
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        indexes = [
            # fee_rate() looks up one category and role at a date.
            models.Index(fields=["fee_category", "role", "effective_from"], name="fee_lookup")
        ]

    def __str__(self):
        return f"{self.fee_category}/{self.role}: {self.amount} from {self.effective_from}"


# --- Applications -------------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications ``user`` may see (QUALITY.md §3): a verified representative sees the
        applications assigned to them, a client those they are the client of; nobody else any."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        role = getattr(user, "role", None)
        if role == "representative":
            return self.filter(representative__user=user, representative__status="verified")
        if role == "client":
            return self.filter(client__user=user)
        return self.none()

    def for_dashboard(self, user):
        """The representative's own applications with everything a dashboard row shows,
        fetched in one query (QUALITY.md §9)."""
        representative = getattr(user, "representative", None) if user.is_authenticated else None
        if representative is None or representative.status != "verified":
            return self.none()
        # A constant representative_id (the gate already loaded the representative) lets
        # PostgreSQL walk the app_rep_updated index in order and stop after one page.
        return (
            self.filter(representative_id=representative.pk)
            .select_related("program__intake", "client__user", "principal_applicant")
            .only(
                "public_id", "status", "application_number", "tasks_done", "tasks_total",
                "updated_at", "created_at",
                "program__code", "program__name_en", "program__name_fr",
                "program__intake__state", "program__intake__program",
                "client__public_id", "client__activated_at",
                "client__temporary_password_expires_at",
                "client__temporary_password_used_at", "client__user__email",
                "principal_applicant__family_name", "principal_applicant__given_names",
            )
        )  # fmt: skip


class Application(models.Model):
    """A client's PR application, prepared by one representative, or by the client themselves
    (``representative`` is null: a self-represented individual, issue 10)."""

    class Status(models.TextChoices):
        """The whole state model of workflow.md §9.1; later issues add services, not states."""

        DRAFT = "draft", _("Draft")
        AWAITING_CLIENT_SIGNATURE = "awaiting_client_signature", _("Awaiting client signature")
        CLIENT_SIGNED = "client_signed", _("Signed by the client")
        REP_DECLARED = "rep_declared", _("Declared by the representative")
        SUBMITTED = "submitted", _("Submitted")
        COMPLETENESS_CHECK = "completeness_check", _("Completeness check")
        RETURNED_INCOMPLETE = "returned_incomplete", _("Returned: incomplete")
        RETURNED_OTHER = "returned_other", _("Returned: other reasons")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROCESS = "in_process", _("In process")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    # The only definition of the allowed moves; applications.services._transition enforces it.
    TRANSITIONS: dict[str, frozenset[str]] = {
        # Sent to the client for review; expired when the program closes before submission.
        Status.DRAFT: frozenset({Status.AWAITING_CLIENT_SIGNATURE, Status.EXPIRED}),
        # The client signs; an edit or a recall brings it back to draft.
        Status.AWAITING_CLIENT_SIGNATURE: frozenset(
            {Status.CLIENT_SIGNED, Status.DRAFT, Status.EXPIRED}
        ),
        # The representative declares; a change invalidating a signature goes back.
        Status.CLIENT_SIGNED: frozenset(
            {Status.REP_DECLARED, Status.AWAITING_CLIENT_SIGNATURE, Status.DRAFT, Status.EXPIRED}
        ),
        # Submission; over the intake cap it is returned at once ("applications accepted are
        # limited"); a change after the declaration needs new signatures or a new declaration.
        Status.REP_DECLARED: frozenset(
            {
                Status.SUBMITTED,
                Status.RETURNED_OTHER,
                Status.CLIENT_SIGNED,
                Status.AWAITING_CLIENT_SIGNATURE,
                Status.DRAFT,
                Status.EXPIRED,
            }
        ),
        Status.SUBMITTED: frozenset({Status.COMPLETENESS_CHECK, Status.WITHDRAWN}),
        Status.COMPLETENESS_CHECK: frozenset(
            {
                Status.RETURNED_INCOMPLETE,
                Status.RETURNED_OTHER,
                Status.ACCEPTED,
                Status.WITHDRAWN,
            }
        ),
        # Completed and resubmitted as the same application, keeping its data.
        Status.RETURNED_INCOMPLETE: frozenset({Status.DRAFT, Status.EXPIRED}),
        Status.RETURNED_OTHER: frozenset(),
        Status.ACCEPTED: frozenset({Status.IN_PROCESS, Status.WITHDRAWN}),
        Status.IN_PROCESS: frozenset({Status.APPROVED, Status.REFUSED, Status.WITHDRAWN}),
        Status.APPROVED: frozenset(),
        Status.REFUSED: frozenset(),
        Status.WITHDRAWN: frozenset(),
        Status.EXPIRED: frozenset(),
    }
    # The representative edits profiles and forms only in these states (later issues that add
    # signature invalidation may widen this).
    # Editing after sending for signature is allowed: a change to signed content invalidates the
    # signatures it touches and moves the status back (applications.signatures).
    EDITABLE = frozenset(
        {
            Status.DRAFT,
            Status.RETURNED_INCOMPLETE,
            Status.AWAITING_CLIENT_SIGNATURE,
            Status.CLIENT_SIGNED,
            Status.REP_DECLARED,
        }
    )
    RETURNED = frozenset({Status.RETURNED_INCOMPLETE, Status.RETURNED_OTHER})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="applications", verbose_name=_("program")
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("representative"),
        null=True,
        blank=True,
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("client"),
    )
    # The PA's profile (one per application); a direct link so lists fetch the name in a join.
    principal_applicant = models.OneToOneField(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    application_number = models.CharField(
        _("application number"), max_length=10, unique=True, null=True, blank=True
    )
    program_details = models.JSONField(_("program-specific details"), default=dict, blank=True)
    # Denormalised progress of application_task_list(), refreshed by every service that changes
    # what the list depends on, so the dashboard never computes task lists.
    tasks_done = models.PositiveSmallIntegerField(default=0)
    tasks_total = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        # Staff actions (applications.staff); the roles are groups (migration 0008).
        permissions = [
            ("accept_application", _("Can start the check of and accept applications")),
            ("return_application", _("Can return applications")),
            ("request_documents", _("Can request additional documents")),
            ("decide_application", _("Can approve and refuse applications")),
            ("confirm_pr", _("Can review PR photos and confirm permanent residence")),
        ]
        indexes = [
            # The dashboard (ApplicationQuerySet.for_dashboard, applications.views.dashboard):
            # one representative's rows, newest change first, keyset-paginated.
            models.Index(
                fields=["representative", "-updated_at", "-public_id"], name="app_rep_updated"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application_number__isnull=True)
                | models.Q(application_number__regex=r"^[A-Z][0-9]{9}$"),
                name="application_number_format",
            ),
            models.CheckConstraint(
                condition=models.Q(tasks_done__lte=models.F("tasks_total")),
                name="application_tasks_done_within_total",
            ),
        ]

    def __str__(self):
        return self.application_number or str(self.public_id)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_returned(self) -> bool:
        return self.status in self.RETURNED

    @property
    def needs_signature(self) -> bool:
        return self.status == self.Status.AWAITING_CLIENT_SIGNATURE

    @property
    def is_final(self) -> bool:
        return not self.TRANSITIONS[self.status]

    @property
    def is_self_represented(self) -> bool:
        """No representative: the client (an individual) prepares and submits it themselves."""
        return self.representative_id is None

    @property
    def preparer_user(self):
        """Who prepares the application: its representative's user, or the client's own."""
        if self.representative_id is not None:
            return self.representative.user
        return self.client.user

    @property
    def preparer_user_id(self) -> int:
        if self.representative_id is not None:
            return self.representative.user_id
        return self.client.user_id

    @property
    def preparer_name(self) -> str:
        if self.representative_id is not None:
            return self.representative.full_name
        return self.client_name

    @property
    def client_name(self) -> str:
        person = self.principal_applicant
        return person.full_name if person else ""


class ApplicationEvent(models.Model):
    """One line of an application's history: who did what, when. Append-only; no typed text."""

    class Action(models.TextChoices):
        CREATED = "application.created", _("Application created")
        COPIED = "application.copied", _("Application started from an earlier one")
        STATUS_CHANGED = "application.status_changed", _("Status changed")
        PROGRAM_DETAILS_CHANGED = "application.details_changed", _("Program details changed")
        PERSON_ADDED = "person.added", _("Family member added")
        PERSON_CHANGED = "person.changed", _("Profile changed")
        PERSON_REMOVED = "person.removed", _("Family member removed")
        CLIENT_INVITED = "client.invited", _("Client invited with a temporary password")
        CLIENT_NOTIFIED = "client.notified", _("Client told that the application was started")
        CLIENT_PASSWORD_RESENT = "client.temporary_password_resent", _("Temporary password resent")
        CLIENT_EMAIL_CORRECTED = "client.email_corrected", _("Client email address corrected")
        # The client portal (clients.services): activation and correction requests.
        CLIENT_ACTIVATED = "client.activated", _("Client set their own password")
        CORRECTION_REQUESTED = "client.correction_requested", _("Client asked for a correction")
        CORRECTION_RESOLVED = "client.correction_resolved", _("Correction request dealt with")
        DOCUMENT_UPLOADED = "document.uploaded", _("Document uploaded")
        DOCUMENT_REPLACED = "document.replaced", _("Document replaced")
        DOCUMENT_DELETED = "document.deleted", _("Document deleted")
        DOCUMENT_PART_ADDED = "document.part_added", _("File added, to be combined")
        DOCUMENT_PARTS_REMOVED = "document.parts_removed", _("Files waiting to be combined removed")
        DOCUMENT_COMBINE_REQUESTED = "document.combine_requested", _("Files sent to be combined")
        DOCUMENT_COMBINED = "document.combined", _("Files combined into one PDF")
        DOCUMENT_COMBINE_FAILED = "document.combine_failed", _("Files could not be combined")
        # Digital forms (forms_imm.services.form_section_save); ``reason`` names the section.
        FORM_SECTION_SAVED = "form.section_saved", _("Form section saved")
        FORM_SECTION_COMPLETED = "form.section_completed", _("Form section marked complete")
        FORM_SECTION_NEEDS_ATTENTION = (
            "form.section_needs_attention",
            _("Form section checked: it needs attention"),
        )
        # Signatures (issue 7); ``reason`` is the signed item's key without the person.
        SENT_FOR_SIGNATURE = "signature.requested", _("Sent to the client for signature")
        SIGNED = "signature.signed", _("Item signed")
        SIGNATURE_INVALIDATED = "signature.invalidated", _("Signature needed again")
        DECLARED = "application.declared", _("Representative declaration made")
        SUBMITTED = "application.submitted", _("Application submitted")
        PACKAGE_READY = "application.package_ready", _("Submission package ready")
        # Staff processing (applications.staff); ``reason`` holds a reason code.
        DOCUMENTS_REQUESTED = "staff.documents_requested", _("Additional documents requested")
        # PR confirmation (applications.pr_confirmation); ``person_public_id`` names the person.
        PR_OPENED = "pr.opened", _("Invited to confirm permanent residence")
        PR_SENT = "pr.sent", _("Presence in Canada, address and photo sent")
        PR_PHOTO_REJECTED = "pr.photo_rejected", _("Photo rejected: a new one is needed")
        PR_PHOTO_ACCEPTED = "pr.photo_accepted", _("Photo accepted")
        PR_CONFIRMED = "pr.confirmed", _("Permanent residence confirmed")
        ECOPR_ISSUED = "pr.ecopr_issued", _("eCOPR issued")
        ECOPR_ERROR_REPORTED = "pr.ecopr_error_reported", _("Error in an eCOPR reported")
        # A self-represented applicant appoints or revokes a representative (issue 10).
        REPRESENTATIVE_APPOINTED = "representative.appointed", _("Representative appointed")
        REPRESENTATIVE_REVOKED = "representative.revoked", _("Representative's appointment revoked")
        # After submission (applications.after_submission): the only uploads allowed then.
        REQUESTED_DOCUMENT_UPLOADED = (
            "document.request_fulfilled",
            _("Requested document uploaded"),
        )
        CIRCUMSTANCES_REPORTED = (
            "document.circumstances_reported",
            _("Change of circumstances reported"),
        )

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=50, choices=Action.choices)
    old_status = models.CharField(max_length=30, blank=True)
    new_status = models.CharField(max_length=30, blank=True)
    reason = models.CharField(max_length=50, blank=True)  # a code, never free text
    person_public_id = models.UUIDField(null=True, blank=True)
    fields = models.JSONField(default=list, blank=True)  # names of changed fields, no values
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [
            # The history page (applications.views.history) lists one application's events.
            models.Index(fields=["application", "-at"], name="app_event_recent"),
        ]

    def __str__(self):
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class Person(models.Model):
    """A profile: the principal applicant or a dependant, belonging to one application only.

    Basic information is kept here once and flows read-only into every form (forms.md §1).
    Parents, siblings and non-dependent children are rows of IMM 5406, never profiles.
    """

    class Role(models.TextChoices):
        PRINCIPAL = "pa", _("Principal applicant")
        SPOUSE_PARTNER = "spouse_partner", _("Spouse or common-law partner")
        DEPENDENT_CHILD = "dependent_child", _("Dependent child")
        CHILD_OF_DEPENDENT_CHILD = "grandchild", _("Child of a dependent child")

    class Relationship(models.TextChoices):
        """IMM 0008 relationship to the PA, with the portal's codes (forms.md §3.9)."""

        SPOUSE = "10", _("Spouse")
        COMMON_LAW_PARTNER = "01", _("Common-law partner")
        CHILD = "02", _("Child")
        STEP_CHILD = "03", _("Step-child")
        ADOPTED_CHILD = "87", _("Adopted child")
        GRANDCHILD = "04", _("Grandchild")
        STEP_GRANDCHILD = "100", _("Step-grandchild")

    ROLE_OF_RELATIONSHIP = {
        Relationship.SPOUSE: Role.SPOUSE_PARTNER,
        Relationship.COMMON_LAW_PARTNER: Role.SPOUSE_PARTNER,
        Relationship.CHILD: Role.DEPENDENT_CHILD,
        Relationship.STEP_CHILD: Role.DEPENDENT_CHILD,
        Relationship.ADOPTED_CHILD: Role.DEPENDENT_CHILD,
        Relationship.GRANDCHILD: Role.CHILD_OF_DEPENDENT_CHILD,
        Relationship.STEP_GRANDCHILD: Role.CHILD_OF_DEPENDENT_CHILD,
    }

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        ANOTHER = "X", _("Another gender (X)")

    class MaritalStatus(models.TextChoices):
        """IMM 0008 codes (forms.md §3.3)."""

        ANNULLED = "09", _("Annulled marriage")
        COMMON_LAW = "03", _("Common-law")
        DIVORCED = "04", _("Divorced")
        MARRIED = "01", _("Married")
        SEPARATED = "05", _("Separated")
        SINGLE = "02", _("Single")
        UNKNOWN = "00", _("Unknown")
        WIDOWED = "06", _("Widowed")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")

    class GuardianRelationship(models.TextChoices):
        PARENT = "parent", _("Parent")
        LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")

    ADULT_AGE = 18

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    relationship = models.CharField(
        _("relationship to the principal applicant"),
        max_length=3,
        choices=Relationship.choices,
        blank=True,
    )
    family_name = models.CharField(_("family name(s)"), max_length=100)
    given_names = models.CharField(_("given name(s)"), max_length=100, blank=True)
    other_family_name = models.CharField(_("other family name used"), max_length=100, blank=True)
    other_given_names = models.CharField(_("other given name(s) used"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_city = models.CharField(_("city or town of birth"), max_length=30, blank=True)
    birth_country = CountryField(_("country of birth"), blank=True)
    citizenship_1 = CountryField(_("citizenship"), blank=True)
    citizenship_2 = CountryField(_("second citizenship"), blank=True)
    uci = models.CharField(_("UCI"), max_length=10, blank=True)  # digits only
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=2, choices=MaritalStatus.choices, blank=True
    )
    correspondence_language = models.CharField(
        _("language of correspondence"), max_length=2, choices=Language.choices, blank=True
    )
    accompanying = models.BooleanField(_("accompanying to Canada"), null=True, blank=True)
    not_accompanying_reason = models.CharField(
        _("reason for not accompanying"), max_length=200, blank=True
    )
    in_canada = models.BooleanField(_("in Canada now"), null=True, blank=True)
    guardian_name = models.CharField(
        _("parent or legal guardian's full name"), max_length=200, blank=True
    )
    guardian_relationship = models.CharField(
        _("guardian's relationship"),
        max_length=20,
        choices=GuardianRelationship.choices,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(role="pa"),
                name="person_one_pa_per_application",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(role="spouse_partner"),
                name="person_one_spouse_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(uci="") | models.Q(uci__regex=r"^([0-9]{8}|[0-9]{10})$"),
                name="person_uci_digits",
            ),
        ]

    def __str__(self):
        return str(self.public_id)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    @property
    def is_principal(self) -> bool:
        return self.role == self.Role.PRINCIPAL

    def age_on(self, on: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def turns_adult_on(self) -> date | None:
        born = self.date_of_birth
        if born is None:
            return None
        try:
            return born.replace(year=born.year + self.ADULT_AGE)
        except ValueError:  # born on 29 February
            return born.replace(year=born.year + self.ADULT_AGE, month=3, day=1)

    @property
    def uci_display(self) -> str:
        if len(self.uci) == 8:
            return f"{self.uci[:4]}-{self.uci[4:]}"
        if len(self.uci) == 10:
            return f"{self.uci[:2]}-{self.uci[2:6]}-{self.uci[6:]}"
        return self.uci


# --- Documents (issue 6) ------------------------------------------------------------------------


class Document(models.Model):
    """One uploaded file in a checklist slot of an application.

    A slot (``slot_key``: the checklist item code, plus ``--`` and the person's public_id for
    per-person items) holds at most one ``current`` document; a replaced or deleted one stays as
    history. Further files uploaded one by one for the same slot wait as ``part`` rows
    (``part_of`` the current document) until they are combined into one PDF, which becomes the
    new current document; the combined pieces become ``combined``.
    """

    class State(models.TextChoices):
        CURRENT = "current", _("Current")
        PART = "part", _("Waiting to be combined")
        REPLACED = "replaced", _("Replaced")
        COMBINED = "combined", _("Combined into a new file")
        DELETED = "deleted", _("Deleted")

    class CombineStatus(models.TextChoices):
        NONE = "", _("Not requested")
        PENDING = "pending", _("Waiting to be combined")
        RUNNING = "running", _("Combining")
        FAILED = "failed", _("Could not be combined")

    HISTORY_STATES = frozenset({State.REPLACED, State.COMBINED, State.DELETED})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    # Null for application-level slots. A removed person's uploads stay, flagged as no longer
    # applying (their slot_key still names the person).
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    # Null for a slot that no checklist item describes (the portal's own additional-documents
    # slot when a program has none, staff-requested documents later).
    checklist_item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    slot_key = models.CharField(_("slot"), max_length=120)
    file = models.ForeignKey(
        "accounts.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    display_name = models.CharField(_("file name"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CURRENT
    )
    part_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts"
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    ended_at = models.DateTimeField(_("replaced or deleted at"), null=True, blank=True)
    # Wet-signature slots (uploads.md §2.11).
    signed_by_hand_confirmed = models.BooleanField(_("signed by hand"), default=False)
    signature_date = models.DateField(_("signature date"), null=True, blank=True)
    # IRCC PDF form slots (uploads.md §2.10).
    form_version_date = models.DateField(_("form version date"), null=True, blank=True)
    # IRCC forms not signed by hand must be filled on a computer (uploads.md §2.12): False
    # when the PDF has no text at all (printed and scanned); None when not checked.
    has_text_layer = models.BooleanField(_("has a text layer"), null=True, blank=True)
    # Translations (uploads.md §2.13): the translation and the translator's affidavit.
    not_in_english_or_french = models.BooleanField(_("not in English or French"), default=False)
    translation_file = models.ForeignKey(
        "accounts.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translation and affidavit"),
    )
    translation_display_name = models.CharField(
        _("translation file name"), max_length=200, blank=True
    )
    # Fee receipts: the amount on the receipt, typed by the representative.
    receipt_amount = models.DecimalField(
        _("amount on the receipt (CAD)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    combine_status = models.CharField(
        _("combining"), max_length=10, choices=CombineStatus.choices, blank=True, default=""
    )
    combine_error = models.CharField(_("combining problem"), max_length=40, blank=True)
    combine_requested_at = models.DateTimeField(null=True, blank=True)
    combine_started_at = models.DateTimeField(null=True, blank=True)
    combine_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("uploaded_at", "id")
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # One file per slot, as IRCC requires.
            models.UniqueConstraint(
                fields=["application", "slot_key"],
                condition=models.Q(state="current"),
                name="document_one_current_per_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(receipt_amount__isnull=True) | models.Q(receipt_amount__gte=0),
                name="document_receipt_amount_not_negative",
            ),
        ]
        indexes = [
            # applications.tasks.document_combine_sweep_task: combinations still to run.
            models.Index(
                fields=["combine_status", "combine_requested_at"],
                condition=models.Q(combine_status__in=["pending", "running"]),
                name="document_combine_queue",
            ),
        ]

    def __str__(self):
        return str(self.public_id)

    @property
    def is_current(self) -> bool:
        return self.state == self.State.CURRENT

    @property
    def combine_in_progress(self) -> bool:
        return self.combine_status in (self.CombineStatus.PENDING, self.CombineStatus.RUNNING)


# --- Signatures (issue 7) -----------------------------------------------------------------------


class SignatureEvent(models.Model):
    """One typed signature (or the representative's declaration) of one item: the evidence
    record of QUALITY.md §5. Append-only: a database trigger refuses UPDATE and DELETE, and
    validity lives in ``SignatureInvalidation`` rows."""

    class Capacity(models.TextChoices):
        SELF = "self", _("The person themselves")
        GUARDIAN = "guardian", _("Parent or legal guardian of a minor")
        PRINCIPAL_APPLICANT = "principal_applicant", _("Principal applicant, for a family member")
        REPRESENTATIVE = "representative", _("Representative")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="signature_events"
    )
    # "imm5669:<person public_id>", "consent_declaration", "imm5444_declaration",
    # "rep_declaration".
    form_key = models.CharField(max_length=80)
    form = models.CharField(max_length=30, blank=True)  # registry key; empty for the declaration
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_role = models.CharField(max_length=20)
    signer_person_public_id = models.UUIDField(null=True, blank=True)
    subject_public_id = models.UUIDField(null=True, blank=True)  # whose form was signed
    capacity = models.CharField(max_length=30, choices=Capacity.choices)
    guardian_relationship = models.CharField(max_length=20, blank=True)
    typed_text = models.CharField(max_length=250, blank=True)
    name_matched = models.BooleanField(default=False)
    attestation_version = models.CharField(max_length=30)
    attestation_sha256 = models.CharField(max_length=64)
    consent_checked = models.BooleanField(default=False)
    content_json = models.TextField()  # the canonical bytes of exactly what was signed
    schema_version = models.CharField(max_length=20, blank=True)
    content_sha256 = models.CharField(max_length=64)
    review_sha256 = models.CharField(max_length=64, blank=True)
    sign_in_method = models.CharField(max_length=30, blank=True)
    authenticated_at = models.DateTimeField(null=True, blank=True)
    mfa_used = models.BooleanField(default=False)
    session_key_sha256 = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    signed_at = models.DateTimeField(default=timezone.now)
    prev_sha256 = models.CharField(max_length=64, blank=True)
    seal = models.CharField(max_length=64)

    class Meta:
        ordering = ("signed_at", "id")
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [
            models.Index(fields=["application", "form_key", "-signed_at"], name="sig_app_key"),
        ]

    def __str__(self):
        return f"{self.form_key} at {self.signed_at:%Y-%m-%d %H:%M}"


class SignatureInvalidation(models.Model):
    """A signature that no longer matches the content it covers (or a cleared declaration)."""

    signature = models.OneToOneField(
        SignatureEvent, on_delete=models.PROTECT, related_name="invalidation"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    current_sha256 = models.CharField(max_length=64, blank=True)  # empty: the person was removed

    class Meta:
        verbose_name = _("signature invalidation")
        verbose_name_plural = _("signature invalidations")

    def __str__(self):
        return f"{self.signature_id} invalidated"


class Submission(models.Model):
    """One submission of an application (a returned application may be submitted again):
    its number, the manifest of exactly what was sent and the rendered package."""

    class PackageStatus(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed, retrying")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField()  # 1 for the first submission, then 2...
    token = models.UUIDField(unique=True)  # the submit page's submission_token
    application_number = models.CharField(max_length=10)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    manifest = models.JSONField()
    manifest_sha256 = models.CharField(max_length=64)
    package = models.ForeignKey(
        "accounts.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    package_status = models.CharField(
        max_length=10, choices=PackageStatus.choices, default=PackageStatus.PENDING
    )
    package_attempts = models.PositiveSmallIntegerField(default=0)
    # The last time a render task was published (the submit, then the sweeper) and the time a
    # render started: a second task finds the claim and stops; a claim older than the longest
    # render belongs to a worker that died (applications/package.py).
    package_published_at = models.DateTimeField(default=timezone.now)
    package_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("application", "number")
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_one_number_per_application"
            ),
        ]

    def __str__(self):
        return f"{self.application_number} #{self.number}"


class DraftExport(models.Model):
    """A "Download draft as PDF" request (issue 8 item 4): rendered on the pdf queue like the
    package (applications.package.draft_export_build), never in a web worker. The row is the
    record of the work: the sweeper publishes pending rows again if a task is lost."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed, retrying")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="draft_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.ForeignKey(
        "accounts.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-requested_at", "-id")
        verbose_name = _("draft export")
        verbose_name_plural = _("draft exports")
        indexes = [
            # The draft PDF page (applications.views.draft_pdf) reads the latest export.
            models.Index(fields=["application", "-requested_at"], name="draft_export_recent"),
            # applications.package.pending_draft_exports: the sweeper's work list.
            models.Index(
                fields=["requested_at"],
                condition=models.Q(file__isnull=True),
                name="draft_export_pending",
            ),
        ]

    def __str__(self):
        return str(self.public_id)


# --- Staff processing (issue 8) -----------------------------------------------------------------


class ReturnReason(models.TextChoices):
    """The staff return-reason picklist (workflow.md §9), as data: codes stored, labels shown."""

    FORM_OR_DOCUMENT_MISSING = (
        "missing_item",
        _("Required form or document missing, with no letter of explanation"),
    )
    SIGNATURE_MISSING = "missing_signature", _("Missing signature")
    DECLARATION_STALE = "stale_declaration", _("Declaration stale-dated or post-dated")
    FEE_MISSING = "fee_missing", _("Fee missing or underpaid")
    FORM_OUTDATED = "form_outdated", _("Outdated form version")
    ELIGIBILITY_DOCUMENTS = (
        "eligibility_documents",
        _("Eligibility documents missing with no explanation"),
    )
    HISTORY_GAPS = "history_gaps", _("Gaps in personal or address history, or unanswered questions")
    TRANSLATION = "translation", _("Translation without the translator's affidavit")
    # Returns for other reasons (final).
    CAP_REACHED = "cap_reached", _("The number of applications accepted is limited (cap reached)")
    PROGRAM_PAUSED = "program_paused", _("The program is paused")
    PROGRAM_CLOSED = "program_closed", _("The program is closed")
    NO_INVITATION = "no_invitation", _("No invitation to apply, or the nomination expired")
    INELIGIBLE = "ineligible", _("The applicant is not eligible")
    # Refusals.
    REQUIREMENTS_NOT_MET = "requirements_not_met", _("The program requirements are not met")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    MISREPRESENTATION = "misrepresentation", _("Misrepresentation")


INCOMPLETE_REASONS = (
    ReturnReason.FORM_OR_DOCUMENT_MISSING,
    ReturnReason.SIGNATURE_MISSING,
    ReturnReason.DECLARATION_STALE,
    ReturnReason.FEE_MISSING,
    ReturnReason.FORM_OUTDATED,
    ReturnReason.ELIGIBILITY_DOCUMENTS,
    ReturnReason.HISTORY_GAPS,
    ReturnReason.TRANSLATION,
)
OTHER_RETURN_REASONS = (
    ReturnReason.CAP_REACHED,
    ReturnReason.PROGRAM_PAUSED,
    ReturnReason.PROGRAM_CLOSED,
    ReturnReason.NO_INVITATION,
    ReturnReason.INELIGIBLE,
)
REFUSAL_REASONS = (
    ReturnReason.REQUIREMENTS_NOT_MET,
    ReturnReason.INADMISSIBLE,
    ReturnReason.MISREPRESENTATION,
)


class StaffDecision(models.Model):
    """What staff decided and why, as the representative and the client see it.

    The history row (``ApplicationEvent``) holds only codes; the note typed by staff, which the
    client can see, is kept here.
    """

    class Kind(models.TextChoices):
        RETURNED_INCOMPLETE = "returned_incomplete", _("Returned as incomplete")
        RETURNED_OTHER = "returned_other", _("Returned for other reasons")
        ACCEPTED = "accepted", _("Accepted into processing")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="staff_decisions"
    )
    kind = models.CharField(_("decision"), max_length=30, choices=Kind.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # ReturnReason codes
    # Checklist item codes of the application's own program the reasons point at.
    items = models.JSONField(_("checklist items"), default=list, blank=True)
    note = models.TextField(_("note to the representative and the client"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ("-decided_at", "-id")
        verbose_name = _("staff decision")
        verbose_name_plural = _("staff decisions")
        indexes = [
            models.Index(fields=["application", "-decided_at"], name="staff_decision_recent")
        ]

    def __str__(self):
        return f"{self.kind} at {self.decided_at:%Y-%m-%d %H:%M}"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(ReturnReason.choices)
        return [str(labels.get(code, code)) for code in self.reasons]


class DocumentRequest(models.Model):
    """A named upload slot staff open after submission, with a due date."""

    SLOT_PREFIX = "request--"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="document_requests"
    )
    name = models.CharField(_("document requested"), max_length=200)
    due_on = models.DateField(_("due on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # Answered: the representative uploaded the document (applications.after_submission).
    fulfilled_at = models.DateTimeField(_("documents received at"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("requested_at", "id")
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")

    def __str__(self):
        return self.name

    @property
    def slot_key(self) -> str:
        return f"{self.SLOT_PREFIX}{self.public_id}"

    @property
    def is_fulfilled(self) -> bool:
        return self.fulfilled_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_fulfilled and self.due_on < today


class CircumstanceChange(models.Model):
    """A document the representative adds after submission because the applicant's situation
    changed (workflow.md §8): logged, flagged to staff, nothing else in the file changes."""

    SLOT_PREFIX = "circumstances--"

    class Kind(models.TextChoices):
        NEW_PASSPORT = "new_passport", _("New passport")
        MARRIAGE = "marriage", _("Marriage or common-law union")
        BIRTH = "birth", _("Birth of a child")
        DEATH = "death", _("Death of a family member")
        NEW_ADDRESS = "new_address", _("New address or contact details")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="circumstance_changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ("reported_at", "id")
        verbose_name = _("change of circumstances")
        verbose_name_plural = _("changes of circumstances")

    def __str__(self):
        return f"{self.kind} at {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def slot_key(self) -> str:
        return f"{self.SLOT_PREFIX}{self.public_id}"


# --- PR confirmation (issue 8, workflow.md §10) ------------------------------------------------


class PRConfirmation(models.Model):
    """One person's confirmation of permanent residence, opened when the application is
    approved (one row per person becoming a PR: the PA and each accompanying dependant).

    The client declares the person is in Canada, gives the Canadian mailing address and uploads
    the person's photo; staff accept or reject the photo, then confirm PR status, which issues
    the eCOPR (``ecopr``, rendered on the pdf queue by applications.ecopr).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the client")
        SUBMITTED = "submitted", _("Photo and address sent: waiting for review")
        PHOTO_REJECTED = "photo_rejected", _("A new photo is needed")
        PHOTO_ACCEPTED = "photo_accepted", _("Photo accepted")
        CONFIRMED = "confirmed", _("Permanent residence confirmed")

    # The only definition of the allowed moves; applications.pr_confirmation enforces it.
    TRANSITIONS: dict[str, frozenset[str]] = {
        State.PENDING: frozenset({State.SUBMITTED}),
        State.SUBMITTED: frozenset({State.PHOTO_ACCEPTED, State.PHOTO_REJECTED}),
        State.PHOTO_REJECTED: frozenset({State.SUBMITTED}),
        State.PHOTO_ACCEPTED: frozenset({State.CONFIRMED}),
        State.CONFIRMED: frozenset(),
    }
    # The client may (re)send the declaration, address and photo in these states.
    CLIENT_EDITABLE = frozenset({State.PENDING, State.PHOTO_REJECTED})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pr_confirmations"
    )
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="pr_confirmation", verbose_name=_("person")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    in_canada = models.BooleanField(_("in Canada"), null=True, blank=True)
    entered_canada_on = models.DateField(_("date of entry into Canada"), null=True, blank=True)
    address_line = models.CharField(_("street address"), max_length=120, blank=True)
    address_unit = models.CharField(_("apartment or unit"), max_length=20, blank=True)
    city = models.CharField(_("city or town"), max_length=60, blank=True)
    province = models.CharField(_("province or territory"), max_length=2, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    photo = models.ForeignKey(
        "accounts.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("photo reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason the photo was rejected"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    landed_on = models.DateField(_("date of landing"), null=True, blank=True)
    ecopr = models.ForeignKey(
        "accounts.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eCOPR"),
    )
    ecopr_issued_at = models.DateTimeField(_("eCOPR issued at"), null=True, blank=True)
    ecopr_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        ordering = ("application", "created_at", "id")
        verbose_name = _("PR confirmation")
        verbose_name_plural = _("PR confirmations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="confirmed") | models.Q(landed_on__isnull=False),
                name="prconfirmation_confirmed_has_landing_date",
            ),
        ]
        indexes = [
            # applications.ecopr.pending_ecoprs: confirmed people whose eCOPR is still missing.
            models.Index(
                fields=["confirmed_at"],
                condition=models.Q(state="confirmed", ecopr__isnull=True),
                name="prconfirmation_ecopr_missing",
            ),
        ]

    def __str__(self):
        return str(self.public_id)

    @property
    def client_can_send(self) -> bool:
        return self.state in self.CLIENT_EDITABLE

    @property
    def address_lines(self) -> list[str]:
        """The Canadian mailing address as printed on the eCOPR and shown to the client."""
        street = (
            f"{self.address_unit}-{self.address_line}" if self.address_unit else self.address_line
        )
        return [
            line
            for line in (street, f"{self.city} {self.province}  {self.postal_code}")
            if line.strip()
        ]


class EcoprErrorReport(models.Model):
    """The client reports an error in an eCOPR: which field and the correct value."""

    class Field(models.TextChoices):
        NAME = "name", _("Name")
        DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
        UCI = "uci", _("UCI (client identifier)")
        APPLICATION_NUMBER = "application_number", _("Application number")
        LANDING_DATE = "landing_date", _("Date of landing")
        ADDRESS = "address", _("Canadian address")
        OTHER = "other", _("Something else")

    VALUE_MAX_LENGTH = 300

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmation = models.ForeignKey(
        PRConfirmation, on_delete=models.CASCADE, related_name="error_reports"
    )
    field = models.CharField(_("field with the error"), max_length=30, choices=Field.choices)
    correct_value = models.CharField(_("correct value"), max_length=VALUE_MAX_LENGTH)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ("-reported_at", "-id")
        verbose_name = _("eCOPR error report")
        verbose_name_plural = _("eCOPR error reports")

    def __str__(self):
        return f"{self.field} at {self.reported_at:%Y-%m-%d %H:%M}"


class RepresentativeAppointment(models.Model):
    """A self-represented applicant appointed a representative for one application (issue 10).

    From ``appointed_at`` the representative prepares the application (``Application
    .representative`` points at them); the applicant keeps read and sign access. Revoking
    sets ``revoked_at`` and the application is self-represented again. Rows are never deleted.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="appointments"
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("representative"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed at"), default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("representative appointment")
        verbose_name_plural = _("representative appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_current_appointment_per_application",
            ),
        ]

    def __str__(self):
        return str(self.public_id)

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None
