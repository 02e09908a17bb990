"""Applications and the program catalogue.

The catalogue (programs, checklists, fees, intake) is data that staff edit in the admin; it is
loaded by the data migration ``0002_fill_programs`` from ``applications/data/programs.json``.
Nothing here hard-codes a program fact; rules that need code are named checks registered in
``applications/program_checks.py``.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _localised(obj, field: str) -> str:
    french = getattr(obj, f"{field}_fr", "")
    if (get_language() or "en").startswith("fr") and french:
        return french
    return getattr(obj, f"{field}_en")


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
    order = models.PositiveSmallIntegerField(_("order"), default=0)
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
