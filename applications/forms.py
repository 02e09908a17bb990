"""Forms: validate and normalise input; never orchestrate. Every message has a code."""

import re
import unicodedata
from datetime import date

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clients.services import client_email_owner, client_email_refusal

from .models import Application, Person, Program
from .services import open_application_exists

NAME_MAX = 100
NAME_HINT = _("Exactly as in the passport or travel document. At most 100 characters.")
DATE_HINT = _("Format: YYYY-MM-DD, for example 1985-04-23.")
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
YES_NO = [("True", _("Yes")), ("False", _("No"))]
NAME_SEPARATORS = set(" -'’")
CAP_WARNING_RATIO = 0.9


def normalise_text(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value or "")).strip()


def validate_name(value: str) -> None:
    """Latin letters (English or French, accents included), spaces, hyphens and apostrophes."""
    for char in value:
        if char in NAME_SEPARATORS:
            continue
        if char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
            continue
        if unicodedata.category(char) == "Mn":  # a combining accent
            continue
        raise forms.ValidationError(
            _(
                "Use letters, spaces, hyphens and apostrophes only, exactly as in the passport. "
                "Numbers and symbols such as < > & are not accepted."
            ),
            code="name_characters",
        )
    if value and not any(char.isalpha() for char in value):
        raise forms.ValidationError(_("Enter a name with at least one letter."), code="name_empty")


class NameField(forms.CharField):
    def __init__(self, *, required=True, **kwargs):
        kwargs.setdefault("help_text", NAME_HINT)
        super().__init__(
            required=required,
            max_length=NAME_MAX,
            strip=True,
            validators=[validate_name],
            error_messages={
                "required": _("Enter the family name, as in the passport."),
                "max_length": _(
                    "Use at most %(limit_value)d characters (this has %(show_value)d)."
                ),
            },
            **kwargs,
        )
        # No maxlength attribute: the browser would cut what was pasted without saying so.
        self.widget.attrs.pop("maxlength", None)

    def to_python(self, value):
        return normalise_text(super().to_python(value))


class PastDateField(forms.DateField):
    """A full date that is real and not in the future (forms.md §2.2)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(
            input_formats=DATE_FORMATS,
            error_messages={
                "invalid": _("Enter a real date in the format YYYY-MM-DD, for example 1985-04-23."),
                "required": _("Enter the date of birth."),
            },
            **kwargs,
        )
        self.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("The date cannot be in the future."), code="date_in_future"
            )
        if value < date(1900, 1, 1):
            raise forms.ValidationError(
                _("Check the year: the date is before 1900."), code="date_too_early"
            )


def yes_no_field(label, *, required=False, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("Answer yes or no.")},
    )


def _cap_label(program: Program) -> str:
    intake = program.intake
    ratio = intake.fill_ratio
    if ratio is not None and ratio >= CAP_WARNING_RATIO:
        return _("%(name)s — nearly full: %(used)s of %(cap)s places used") % {
            "name": program.name,
            "used": f"{intake.used:,}",
            "cap": f"{intake.cap:,}",
        }
    return program.name


def open_programs(today: date | None = None) -> list[Program]:
    """Programs a new application may choose: offered, and their intake open today."""
    today = today or timezone.localdate()
    programs = Program.objects.active().select_related("intake")
    chosen = [
        p for p in programs if hasattr(p, "intake") and p.intake.accepts_new_applications(today)
    ]
    return sorted(chosen, key=lambda p: p.name.lower())


def nearly_full(programs: list[Program]) -> list[Program]:
    return [
        p
        for p in programs
        if p.intake.fill_ratio is not None and p.intake.fill_ratio >= CAP_WARNING_RATIO
    ]


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _cap_label(obj)


def _program_field(programs: list[Program]) -> ProgramChoiceField:
    field = ProgramChoiceField(
        queryset=Program.objects.filter(pk__in=[p.pk for p in programs]).select_related("intake"),
        label=_("Program"),
        empty_label=_("Choose a program"),
        help_text=_("Programs that are paused or closed are not listed."),
        error_messages={
            "required": _("Choose the program."),
            "invalid_choice": _("This program does not accept new applications now."),
        },
    )
    # Keep the sorted, already-fetched list as the options (no second query while rendering).
    field.choices = [("", field.empty_label)] + [(p.pk, _cap_label(p)) for p in programs]
    return field


class ClientEmailMixin:
    """Email entered twice; the two must match, ignoring case."""

    def _clean_email_pair(self, cleaned):
        email = (cleaned.get("email") or "").strip().lower()
        confirm = (cleaned.get("email_confirm") or "").strip().lower()
        if email and "email_confirm" not in self.errors and confirm and email != confirm:
            self.add_error(
                "email_confirm",
                forms.ValidationError(
                    _("The two email addresses do not match. Check both."), code="email_mismatch"
                ),
            )
            return None
        if email and client_email_refusal(email):
            self.add_error(
                "email",
                forms.ValidationError(
                    _(
                        "This email address belongs to a representative or staff account. "
                        "A client needs their own email address."
                    ),
                    code="email_not_client",
                ),
            )
            return None
        return email or None


def _email_fields():
    email = forms.EmailField(
        label=_("Client's email address"),
        max_length=254,
        help_text=_("The client receives the notification and a temporary password here."),
        error_messages={
            "required": _("Enter the client's email address."),
            "invalid": _("Enter an email address in the format name@example.com."),
        },
    )
    confirm = forms.EmailField(
        label=_("Confirm the client's email address"),
        max_length=254,
        help_text=_("Type it again; do not paste it."),
        error_messages={
            "required": _("Type the email address again to confirm it."),
            "invalid": _("Enter an email address in the format name@example.com."),
        },
    )
    for field in (email, confirm):
        field.widget.attrs["autocomplete"] = "off"
    return email, confirm


class ApplicationCreateForm(ClientEmailMixin, forms.Form):
    family_name = NameField(label=_("Client's family name(s)"))
    given_names = NameField(
        label=_("Client's given name(s)"),
        required=False,
        help_text=_(
            "Every given name, exactly as in the passport. Leave empty if the passport shows "
            "only one name. At most 100 characters."
        ),
    )

    def __init__(self, *args, representative, programs: list[Program], **kwargs):
        super().__init__(*args, **kwargs)
        self.representative = representative
        self.fields["email"], self.fields["email_confirm"] = _email_fields()
        self.fields["program"] = _program_field(programs)

    def clean(self):
        cleaned = super().clean()
        email = self._clean_email_pair(cleaned)
        program = cleaned.get("program")
        if email and program:
            owner = client_email_owner(email)
            client = getattr(owner, "client", None) if owner else None
            if client is not None and open_application_exists(
                representative=self.representative, client=client, program=program
            ):
                self.add_error(
                    "email",
                    forms.ValidationError(
                        _(
                            "You already have an open application for the client with this "
                            "email address in this program. Open it from your dashboard."
                        ),
                        code="duplicate_application",
                    ),
                )
        if email:
            cleaned["email"] = email
        return cleaned


class ApplicationCopyForm(forms.Form):
    def __init__(self, *args, programs: list[Program], source: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["program"] = _program_field(programs)

    def clean_program(self):
        program = self.cleaned_data["program"]
        if open_application_exists(
            representative=self.source.representative, client=self.source.client, program=program
        ):
            raise forms.ValidationError(
                _(
                    "This client already has an open application in this program. Choose "
                    "another program, or continue the open application."
                ),
                code="duplicate_application",
            )
        return program


class ClientEmailForm(ClientEmailMixin, forms.Form):
    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["email"], self.fields["email_confirm"] = _email_fields()
        self.fields["email"].label = _("Corrected email address")
        self.fields["email_confirm"].label = _("Confirm the corrected email address")

    def clean(self):
        cleaned = super().clean()
        email = self._clean_email_pair(cleaned)
        if email:
            owner = client_email_owner(email)
            if owner is not None and owner.pk != self.client.user_id:
                self.add_error(
                    "email",
                    forms.ValidationError(
                        _("This email address is already used by another account."),
                        code="email_taken",
                    ),
                )
            cleaned["email"] = email
        return cleaned


# --- profiles ---------------------------------------------------------------------------------

PERSON_COMMON_FIELDS = [
    "family_name", "given_names", "other_family_name", "other_given_names", "sex",
    "date_of_birth", "birth_city", "birth_country", "citizenship_1", "citizenship_2", "uci",
    "email", "phone", "marital_status",
]  # fmt: skip
PA_FIELDS = [
    *PERSON_COMMON_FIELDS,
    "correspondence_language",
    "guardian_name",
    "guardian_relationship",
]
DEPENDANT_FIELDS = [
    "relationship",
    *PERSON_COMMON_FIELDS,
    "accompanying",
    "not_accompanying_reason",
    "in_canada",
]
UCI_RE = re.compile(r"^(\d{8}|\d{10}|\d{4}-\d{4}|\d{2}-\d{4}-\d{4})$")
PHONE_RE = re.compile(r"^\+?[0-9 ().\-]{7,20}$")


class PersonForm(forms.ModelForm):
    """One profile's basic information. Privileged fields (role, version, application) are never
    bound; ``expected_version`` is compared by the service, never assigned."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    family_name = NameField(label=_("Family name(s)"))
    given_names = NameField(
        label=_("Given name(s)"),
        required=False,
        help_text=_(
            "Every given name, exactly as in the passport; no initials. Leave empty if the "
            "passport shows only one name. At most 100 characters."
        ),
    )
    other_family_name = NameField(
        label=_("Other family name used (nickname, maiden name, alias)"),
        required=False,
        help_text=_("Only if the person has used another name. At most 100 characters."),
    )
    other_given_names = NameField(
        label=_("Other given name(s) used"),
        required=False,
        help_text=_("At most 100 characters."),
    )
    date_of_birth = PastDateField(label=_("Date of birth"), required=False)
    birth_city = forms.CharField(
        label=_("City or town of birth"),
        required=False,
        max_length=30,
        help_text=_("At most 30 characters."),
        error_messages={
            "max_length": _("Use at most %(limit_value)d characters (this has %(show_value)d).")
        },
    )
    uci = forms.CharField(
        label=_("UCI (unique client identifier)"),
        required=False,
        help_text=_(
            "8 digits (0000-0000) or 10 digits (00-0000-0000), if IRCC has given one. "
            "Leave empty if not."
        ),
    )
    phone = forms.CharField(
        label=_("Telephone"),
        required=False,
        help_text=_("Digits, with the country code if outside Canada and the US."),
    )
    guardian_name = forms.CharField(
        label=_("Parent or legal guardian's full name"),
        required=False,
        max_length=200,
        help_text=_("Only for a principal applicant under 18: this person signs for them."),
    )

    class Meta:
        model = Person
        fields = [
            *PA_FIELDS,
            "relationship",
            "accompanying",
            "not_accompanying_reason",
            "in_canada",
        ]
        # narrowed per role in __init__

    def __init__(self, *args, role: str, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        self.application = application
        wanted = PA_FIELDS if role == Person.Role.PRINCIPAL else DEPENDANT_FIELDS
        if role != Person.Role.PRINCIPAL:
            self.fields["relationship"] = forms.ChoiceField(
                label=_("Relationship to the principal applicant"),
                choices=[("", _("Choose"))] + list(Person.Relationship.choices),
                help_text=_(
                    "Parents, brothers and sisters, and children who are not dependants are "
                    "listed on IMM 5406 only; they do not get a profile."
                ),
                error_messages={"required": _("Choose the relationship.")},
            )
            self.fields["accompanying"] = yes_no_field(
                _("Accompanying the principal applicant to Canada?"), required=True
            )
            self.fields["not_accompanying_reason"] = forms.CharField(
                label=_("Reason for not accompanying"),
                required=False,
                max_length=200,
                help_text=_("Required if the person is not accompanying."),
            )
            self.fields["in_canada"] = yes_no_field(_("In Canada now?"))
            self.fields["date_of_birth"].required = True
        for name in list(self.fields):
            if name not in wanted and name != "expected_version":
                del self.fields[name]
        self.order_fields(wanted)
        self.fields["date_of_birth"].widget.format = "%Y-%m-%d"
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version
        if "email" in self.fields:
            self.fields["email"].error_messages["invalid"] = _(
                "Enter an email address in the format name@example.com."
            )

    def clean_uci(self):
        raw = (self.cleaned_data.get("uci") or "").strip()
        if not raw:
            return ""
        if not UCI_RE.match(raw.replace(" ", "")):
            raise forms.ValidationError(
                _("A UCI has 8 digits (0000-0000) or 10 digits (00-0000-0000)."),
                code="uci_format",
            )
        return re.sub(r"\D", "", raw)

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        digits = re.sub(r"\D", "", raw)
        if not PHONE_RE.match(raw) or not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Enter a telephone number with 7 to 15 digits, for example 613-555-0123."),
                code="phone_format",
            )
        return ("+" if raw.startswith("+") else "") + digits

    def clean_guardian_name(self):
        value = normalise_text(self.cleaned_data.get("guardian_name") or "")
        if value:
            validate_name(value)
        return value

    def clean_not_accompanying_reason(self):
        return normalise_text(self.cleaned_data.get("not_accompanying_reason") or "")

    def clean_birth_city(self):
        return normalise_text(self.cleaned_data.get("birth_city") or "")

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("citizenship_1"), cleaned.get("citizenship_2")
        if second and not first:
            self.add_error(
                "citizenship_2",
                forms.ValidationError(
                    _("Enter the first citizenship before a second one."), code="citizenship_order"
                ),
            )
        elif second and second == first:
            self.add_error(
                "citizenship_2",
                forms.ValidationError(
                    _("The second citizenship must differ from the first."),
                    code="citizenship_same",
                ),
            )
        if self.role == Person.Role.PRINCIPAL:
            self._clean_guardian(cleaned)
        else:
            self._clean_dependant(cleaned)
        return cleaned

    def _clean_guardian(self, cleaned):
        born = cleaned.get("date_of_birth")
        adult = born is None or Person(date_of_birth=born).age_on(timezone.localdate()) >= 18
        for name in ("guardian_name", "guardian_relationship"):
            if adult and cleaned.get(name) and born is not None:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Only a principal applicant under 18 has a guardian: leave this empty."),
                        code="guardian_not_needed",
                    ),
                )

    def _clean_dependant(self, cleaned):
        if cleaned.get("accompanying") is False and not cleaned.get("not_accompanying_reason"):
            self.add_error(
                "not_accompanying_reason",
                forms.ValidationError(
                    _("Give the reason the person is not accompanying."), code="reason_required"
                ),
            )
        if cleaned.get("accompanying") is True:
            cleaned["not_accompanying_reason"] = ""
        relationship = cleaned.get("relationship")
        if Person.ROLE_OF_RELATIONSHIP.get(relationship) == Person.Role.SPOUSE_PARTNER:
            others = self.application.people.filter(role=Person.Role.SPOUSE_PARTNER)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "relationship",
                    forms.ValidationError(
                        _("This application already has a spouse or common-law partner."),
                        code="second_spouse",
                    ),
                )

    def profile_values(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "expected_version"
        }


# --- program-specific details -----------------------------------------------------------------


def _spec_text(spec: dict, key: str) -> str:
    french = spec.get(f"{key}_fr") or ""
    if (get_language() or "en").startswith("fr") and french:
        return french
    return spec.get(f"{key}_en") or ""


class ProgramDetailsForm(forms.Form):
    """Built from ``program.details_fields`` (data staff edit). Drafts save with blanks; the task
    list shows what is still required, and the program checks run on the saved values."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(program.details_fields)
        for spec in self.specs:
            self.fields[spec["key"]] = self._field(spec)

    def _field(self, spec: dict) -> forms.Field:
        label = _spec_text(spec, "label")
        help_text = _spec_text(spec, "help")
        if spec.get("required"):
            label = _("%(label)s (required)") % {"label": label}
        kind = spec.get("type")
        if kind == "date":
            return forms.DateField(
                label=label,
                required=False,
                input_formats=DATE_FORMATS,
                help_text=" ".join(filter(None, [help_text, str(DATE_HINT)])),
                error_messages={
                    "invalid": _(
                        "Enter a real date in the format YYYY-MM-DD, for example 2025-04-23."
                    )
                },
            )
        if kind == "choice":
            choices = [("", _("Choose"))] + [
                (choice["value"], _spec_text(choice, "label")) for choice in spec.get("choices", [])
            ]
            return forms.ChoiceField(
                label=label, required=False, choices=choices, help_text=help_text
            )
        if kind == "yesno":
            return yes_no_field(label, help_text=help_text)
        validators = []
        if spec.get("pattern"):
            validators.append(
                RegexValidator(
                    spec["pattern"],
                    message=_("This is not in the expected format."),
                    code="pattern",
                )
            )
        max_length = spec.get("max_length") or 200
        return forms.CharField(
            label=label,
            required=False,
            max_length=max_length,
            validators=validators,
            help_text=" ".join(
                filter(None, [help_text, str(_("At most %(n)d characters.") % {"n": max_length})])
            ),
            error_messages={
                "max_length": _("Use at most %(limit_value)d characters (this has %(show_value)d).")
            },
        )

    def details(self) -> dict:
        """JSON-ready values: dates as ISO strings, yes/no as booleans, blanks left out."""
        values = {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec["key"])
            if value in (None, ""):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = normalise_text(value)
            values[spec["key"]] = value
        return values

    @staticmethod
    def initial_from(details: dict, program: Program) -> dict:
        initial = {}
        for spec in program.details_fields:
            value = (details or {}).get(spec["key"])
            if spec.get("type") == "yesno" and isinstance(value, bool):
                value = str(value)
            initial[spec["key"]] = value
        return initial


# --- dashboard --------------------------------------------------------------------------------


class DashboardForm(forms.Form):
    SORTS = [
        ("-updated", _("Last update, newest first")),
        ("updated", _("Last update, oldest first")),
        ("client", _("Client family name, A to Z")),
        ("-client", _("Client family name, Z to A")),
        ("status", _("Status")),
        ("-created", _("Created, newest first")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Client name, email address or application number."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))] + list(Application.Status.choices),
    )
    program = forms.ChoiceField(label=_("Program"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("All programs"))] + [
            (p.code, p.name) for p in programs
        ]


class IndividualStartForm(forms.Form):
    """An individual starts their own application (issue 10): their name, as the principal
    applicant, and the program."""

    family_name = NameField(label=_("Your family name(s)"))
    given_names = NameField(
        label=_("Your given name(s)"),
        required=False,
        help_text=_(
            "Every given name, exactly as in your passport. Leave empty if your passport shows "
            "only one name. At most 100 characters."
        ),
    )

    def __init__(self, *args, client, programs: list[Program], **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["program"] = _program_field(programs)

    def clean_program(self):
        program = self.cleaned_data["program"]
        if open_application_exists(representative=None, client=self.client, program=program):
            raise forms.ValidationError(
                _(
                    "You already have an open application in this program. Open it from My "
                    "applications."
                ),
                code="duplicate_application",
            )
        return program
