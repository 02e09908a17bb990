import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from applications.uploads import UploadField

from .models import IdDocumentType, MembershipBody, Representative, RepresentativeType

CANADIAN_POSTAL_CODE = re.compile(r"^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$")
PHONE_SEPARATORS = re.compile(r"[\s().\-]")
TEXT_FIELDS = (
    "full_name",
    "membership_id",
    "firm_name",
    "address_street",
    "address_unit",
    "address_city",
    "address_region",
    "address_postal_code",
)
REQUIRED_FIELDS = (
    "full_name",
    "rep_type",
    "membership_body",
    "membership_id",
    "address_street",
    "address_city",
    "address_country",
    "phone",
    "id_document_type",
)


def phone_for_editing(digits: str) -> str:
    """Stored digits back to what people type: 613-555-0123, or +33 123456789 abroad."""
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    return f"+{digits}"


def _has_control_characters(value: str) -> bool:
    # Control and invisible formatting characters (including right-to-left overrides) have no
    # place in a name or an address, and they disguise text in the admin and on IMM 5476.
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in value)


class RepresentativeProfileForm(forms.ModelForm):
    """The representative's profile. Validates and normalises; the service saves it."""

    error_messages = {
        "control_characters": _("Remove the invisible or control characters from this field."),
        "body_type_mismatch": _(
            "%(body)s does not license this type of representative. Choose the body you are a "
            "member of, or change the type of representative."
        ),
        "membership_id_format": _(
            "This is not a membership ID in the format %(body)s uses. Expected: %(hint)s."
        ),
        "postal_code": _("Enter a Canadian postal code in the format A1A 1A1."),
        "province_required": _("Choose the province or territory."),
        "postal_code_required": _("Enter the postal code."),
        "phone": _(
            "Enter a telephone number with its area code, like 613-555-0123, or an "
            "international number starting with +, like +44 20 7946 0000."
        ),
        "phone_extension": _("Enter the extension as digits only, up to 6 of them."),
        "id_document_required": _("Upload a copy of your identity document."),
    }

    membership_body = forms.ModelChoiceField(
        label=_("Membership body"),
        queryset=MembershipBody.objects.active(),
        to_field_name="code",
        empty_label=_("Choose the body you are a member of"),
        help_text=_("The regulator that lists you as a member in good standing."),
    )
    id_upload = UploadField(
        allowed_kinds={"pdf", "jpeg", "png"},
        required=False,
        label=_("Copy of your identity document"),
        help_text=_(
            "A PDF, JPEG or PNG file of at most 4 MB, showing your name and photo clearly."
        ),
    )

    class Meta:
        model = Representative
        fields = [
            "full_name",
            "rep_type",
            "membership_body",
            "membership_id",
            "firm_name",
            "address_street",
            "address_unit",
            "address_city",
            "address_province",
            "address_region",
            "address_postal_code",
            "address_country",
            "phone",
            "phone_extension",
            "id_document_type",
        ]
        widgets = {
            "rep_type": forms.RadioSelect,
            "id_document_type": forms.RadioSelect,
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "firm_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address_street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_unit": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "address_city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "address_region": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "address_postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "phone_extension": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "full_name": _(
                "As it appears on your regulator’s member list. At most 200 characters."
            ),
            "membership_id": _("As it appears on your regulator’s public register."),
            "firm_name": _("Optional. It appears on the Use of a Representative form (IMM 5476)."),
            "address_province": _("For an address in Canada."),
            "address_region": _("For an address outside Canada. Optional."),
            "address_postal_code": _("In Canada, in the format A1A 1A1."),
            "phone": _(
                "With the area code, like 613-555-0123. Outside North America, start with + "
                "and the country code."
            ),
            "phone_extension": _("Optional. Digits only."),
        }
        labels = {"rep_type": _("I am a"), "id_document_type": _("Identity document")}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_upload"].actor = actor  # so refused uploads are audited
        for name in REQUIRED_FIELDS:
            self.fields[name].required = True
        self.fields["rep_type"].choices = RepresentativeType.choices
        self.fields["id_document_type"].choices = IdDocumentType.choices
        self.fields["address_province"].choices = [("", _("Choose a province or territory"))] + [
            choice for choice in self.fields["address_province"].choices if choice[0]
        ]
        if self.instance.membership_body_id:
            # The select carries body codes, not database ids.
            self.initial["membership_body"] = self.instance.membership_body
        if self.instance.phone:
            self.initial["phone"] = phone_for_editing(self.instance.phone)
        self.has_id_document = bool(self.instance.pk and self.instance.id_document_id)
        if not self.has_id_document:
            self.fields["id_upload"].required = True
            self.fields["id_upload"].error_messages["required"] = self.error_messages[
                "id_document_required"
            ]
        else:
            self.fields["id_upload"].help_text = _(
                "We have your document on file. Choose a new file only to replace it: a PDF, "
                "JPEG or PNG file of at most 4 MB."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Your membership"),
                "rep_type",
                "membership_body",
                "membership_id",
                HTML('{% include "representatives/partials/membership_formats.html" %}'),
            ),
            Fieldset(_("Your name and firm"), "full_name", "firm_name"),
            Fieldset(
                _("Business address"),
                "address_street",
                "address_unit",
                "address_city",
                "address_province",
                "address_region",
                "address_postal_code",
                "address_country",
            ),
            Fieldset(_("Telephone"), "phone", "phone_extension"),
            Fieldset(_("Proof of identity"), "id_document_type", "id_upload"),
        )

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            value = cleaned.get(name)
            if value and _has_control_characters(value):
                self.add_error(name, self._error("control_characters"))
        self._clean_membership(cleaned)
        self._clean_address(cleaned)
        return cleaned

    def clean_membership_id(self):
        return self.cleaned_data["membership_id"].strip().upper()

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        international = raw.startswith("+")
        digits = PHONE_SEPARATORS.sub("", raw[1:] if international else raw)
        if not (digits.isascii() and digits.isdigit()):
            raise self._error("phone")
        if not international:
            if len(digits) == 10:
                digits = "1" + digits
            if len(digits) != 11 or not digits.startswith("1"):
                raise self._error("phone")
        if not 8 <= len(digits) <= 15:
            raise self._error("phone")
        # North American numbers: area code and exchange never start with 0 or 1.
        if digits.startswith("1") and (len(digits) != 11 or digits[1] in "01" or digits[4] in "01"):
            raise self._error("phone")
        return digits

    def clean_phone_extension(self):
        value = self.cleaned_data["phone_extension"].strip()
        if value and not re.fullmatch(r"[0-9]{1,6}", value):
            raise self._error("phone_extension")
        return value

    def _clean_membership(self, cleaned):
        body, rep_type = cleaned.get("membership_body"), cleaned.get("rep_type")
        membership_id = cleaned.get("membership_id")
        if body is None:
            return
        if rep_type and not body.applies_to(rep_type):
            self.add_error("membership_body", self._error("body_type_mismatch", body=body.name))
            return
        if membership_id and not body.membership_id_is_valid(membership_id):
            self.add_error(
                "membership_id",
                self._error("membership_id_format", body=body.name, hint=body.pattern_hint),
            )

    def _clean_address(self, cleaned):
        if cleaned.get("address_country") != "CA":
            cleaned["address_province"] = ""
            return
        cleaned["address_region"] = ""
        if not cleaned.get("address_province") and "address_province" not in self.errors:
            self.add_error("address_province", self._error("province_required"))
        postal = (cleaned.get("address_postal_code") or "").upper().replace(" ", "")
        if "address_postal_code" in self.errors:
            return
        if not postal:
            self.add_error("address_postal_code", self._error("postal_code_required"))
        elif not CANADIAN_POSTAL_CODE.match(postal):
            self.add_error("address_postal_code", self._error("postal_code"))
        else:
            cleaned["address_postal_code"] = f"{postal[:3]} {postal[3:]}"

    def _error(self, code, **params):
        return forms.ValidationError(self.error_messages[code], code=code, params=params or None)
