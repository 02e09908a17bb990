import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class RepresentativeType(models.TextChoices):
    """The kinds of paid representative IRCC accepts (workflow.md §1)."""

    CONSULTANT = "consultant", _("Member of the College of Immigration and Citizenship Consultants")
    LAWYER = (
        "lawyer",
        _("Lawyer, member of a provincial or territorial law society or of the Barreau du Québec"),
    )
    PARALEGAL = "paralegal", _("Paralegal licensed by the Law Society of Ontario")
    NOTARY = "notary", _("Notary, member of the Chambre des notaires du Québec")


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


class IdDocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    DRIVERS_LICENCE = "drivers_licence", _("Driver’s licence")
    PR_CARD = "pr_card", _("Permanent resident card")


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(
            _("This is not a valid regular expression."), code="invalid_regex"
        ) from exc


class MembershipBodyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class MembershipBody(models.Model):
    """A regulator whose members may act as paid representatives.

    Reference data loaded by migration 0003 and corrected by staff in the admin: regulators do
    not publish their membership number formats, so each pattern is a permissive guess.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    # Codes from RepresentativeType. A list rather than a table: four fixed values, 15 rows.
    representative_types = models.JSONField(_("representative types"), default=list)
    membership_id_pattern = models.CharField(
        _("membership ID pattern"),
        max_length=200,
        validators=[validate_regex],
        help_text=_(
            "A regular expression the whole ID must match, after spaces at the ends are "
            "removed and letters are upper-cased."
        ),
    )
    pattern_hint_en = models.CharField(_("format hint in English"), max_length=200)
    pattern_hint_fr = models.CharField(_("format hint in French"), max_length=200)
    source_note = models.TextField(_("source note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = MembershipBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership body")
        verbose_name_plural = _("membership bodies")
        ordering = ["sort_order", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if get_language() == "fr" else self.name_en

    @property
    def pattern_hint(self) -> str:
        return self.pattern_hint_fr if get_language() == "fr" else self.pattern_hint_en

    def applies_to(self, rep_type: str) -> bool:
        return rep_type in (self.representative_types or [])

    def membership_id_is_valid(self, membership_id: str) -> bool:
        # Staff-written patterns; the ID is at most 50 characters, so backtracking stays cheap.
        return re.fullmatch(self.membership_id_pattern, membership_id) is not None

    def clean(self):
        unknown = set(self.representative_types or []) - set(RepresentativeType.values)
        if not isinstance(self.representative_types, list) or unknown:
            raise ValidationError(
                {"representative_types": _("Choose from the known representative types.")},
                code="invalid_types",
            )


class RepresentativeQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Representative.Status.VERIFIED)


class Representative(models.Model):
    """A licensed, paid representative's professional profile, verified by staff."""

    class Status(models.TextChoices):
        PROFILE_INCOMPLETE = "profile_incomplete", _("Profile incomplete")
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    # The only definition of allowed status changes (services check it).
    TRANSITIONS = {
        Status.PROFILE_INCOMPLETE: frozenset({Status.PENDING}),
        Status.PENDING: frozenset({Status.VERIFIED, Status.REJECTED, Status.PENDING}),
        Status.REJECTED: frozenset({Status.PENDING}),
        Status.VERIFIED: frozenset({Status.SUSPENDED, Status.PENDING}),
        Status.SUSPENDED: frozenset({Status.VERIFIED}),
    }
    # The representative may edit (and so resubmit) the profile only in these states.
    EDITABLE_STATUSES = frozenset({Status.PROFILE_INCOMPLETE, Status.PENDING, Status.REJECTED})

    Type = RepresentativeType

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="representative"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROFILE_INCOMPLETE
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)

    rep_type = models.CharField(
        _("type of representative"), max_length=20, choices=RepresentativeType.choices, blank=True
    )
    membership_body = models.ForeignKey(
        MembershipBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membership body"),
    )
    membership_id = models.CharField(_("membership ID number"), max_length=50, blank=True)
    firm_name = models.CharField(_("organization or firm name"), max_length=200, blank=True)
    address_street = models.CharField(_("street address"), max_length=200, blank=True)
    address_unit = models.CharField(_("suite or unit"), max_length=50, blank=True)
    address_city = models.CharField(_("city or town"), max_length=100, blank=True)
    address_province = models.CharField(
        _("province or territory"), max_length=2, choices=Province.choices, blank=True
    )
    # Outside Canada: a free-text state, region or county instead of the province.
    address_region = models.CharField(_("state, province or region"), max_length=100, blank=True)
    address_postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    address_country = CountryField(_("country"), default="CA")
    # Digits only, with the country code (a Canadian number is 1 + 10 digits).
    phone = models.CharField(_("telephone number"), max_length=20, blank=True)
    phone_extension = models.CharField(_("extension"), max_length=10, blank=True)
    id_document_type = models.CharField(
        _("identity document type"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    # Served only through get_id_document_for_user and the admin's verifier-only views.
    id_document = models.ForeignKey(
        "accounts.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity document"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        permissions = [
            ("verify_representative", _("Can verify, reject or suspend representatives"))
        ]
        constraints = [
            # One personal account per licensed representative (workflow.md §0).
            models.UniqueConstraint(
                fields=["membership_body", "membership_id"],
                condition=~Q(membership_id=""),
                name="representative_membership_unique",
                violation_error_message=_(
                    "This membership ID is already registered with another account."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="representative_verified_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="representative_rejected_has_reason",
            ),
        ]
        indexes = [
            # The admin's verification queue: filtered by status, oldest submission first.
            models.Index(fields=["status", "submitted_at"], name="representative_queue_idx"),
        ]

    def __str__(self):
        return self.full_name or str(self.public_id)

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_in_canada(self) -> bool:
        return self.address_country == "CA"

    @property
    def phone_display(self) -> str:
        if not self.phone:
            return ""
        digits = self.phone
        if len(digits) == 11 and digits.startswith("1"):
            text = f"+1 {digits[1:4]}-{digits[4:7]}-{digits[7:]}"
        else:
            text = f"+{digits}"
        if self.phone_extension:
            text += " " + gettext("ext. %(extension)s") % {"extension": self.phone_extension}
        return text


class RepresentativeEvent(models.Model):
    """One row per status change: the verification history and its audit trail."""

    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, related_name="events"
    )
    old_status = models.CharField(_("from"), max_length=20, choices=Representative.Status.choices)
    new_status = models.CharField(_("to"), max_length=20, choices=Representative.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("representative status change")
        verbose_name_plural = _("representative status changes")
        ordering = ["-at", "-pk"]
        indexes = [
            # The admin history inline and the status page list one representative's events.
            models.Index(fields=["representative", "-at"], name="representative_event_idx"),
        ]

    def __str__(self):
        return f"{self.old_status} → {self.new_status}"
