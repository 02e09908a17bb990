"""Forms of the client's own pages: choosing a password, asking for a correction, confirming
permanent residence and reporting an error in an eCOPR."""

from allauth.account.forms import SetPasswordForm
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import EcoprErrorReport
from applications.pr_confirmation import (
    ADDRESS_FIELDS,
    PHOTO_KINDS,
    PHOTO_MIN_HEIGHT,
    PHOTO_MIN_WIDTH,
    NotInCanada,
)
from applications.uploads import UploadField
from forms_imm.validators import normalize_postal_code

from .models import CorrectionRequest


class ClientPasswordForm(SetPasswordForm):
    """The first password a client chooses, under the site's password rules (allauth's
    validators: length, similarity, common passwords and the portal's context words)."""


OTHER_PERSON = "-"


class CorrectionRequestForm(forms.Form):
    """What needs correcting (a form of one person, a profile, the documents, or something
    else) and a message of at most ``CorrectionRequest.MESSAGE_MAX_LENGTH`` characters."""

    about = forms.ChoiceField(label=_("What needs correcting?"))
    message = forms.CharField(
        label=_("Your message to your representative"),
        help_text=_(
            "Say what is wrong and what it should be. Your representative makes the change."
        ),
        max_length=CorrectionRequest.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write what needs correcting."),
            "max_length": _(
                "Your message is %(show_value)d characters long; the limit is %(limit_value)d. "
                "Shorten it or send the rest in a second request."
            ),
        },
    )

    def __init__(self, *args, person_forms, people, **kwargs):
        """``person_forms``: the (person, form spec) pairs of the application, in order."""
        super().__init__(*args, **kwargs)
        self._targets = {}
        choices = [("", _("Choose…"))]
        for person, spec in person_forms:
            value = f"form:{spec.key}:{person.public_id}"
            self._targets[value] = (CorrectionRequest.Topic.FORM, spec.key, person)
            choices.append(
                (
                    value,
                    _("%(form)s %(title)s — %(name)s")
                    % {"form": spec.number, "title": spec.title, "name": person.full_name},
                )
            )
        for person in people:
            value = f"profile:{person.public_id}"
            self._targets[value] = (CorrectionRequest.Topic.PROFILE, "", person)
            label = _("Personal information of %(name)s") % {"name": person.full_name}
            choices.append((value, label))
        for topic in (CorrectionRequest.Topic.DOCUMENTS, CorrectionRequest.Topic.OTHER):
            self._targets[topic.value] = (topic.value, "", None)
            choices.append((topic.value, topic.label))
        self.fields["about"].choices = choices
        self.fields["about"].error_messages["required"] = _("Choose what needs correcting.")
        self.fields["about"].error_messages["invalid_choice"] = _(
            "Choose one of the listed parts of the application."
        )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Write what needs correcting."))
        return message

    def target(self) -> tuple[str, str, object]:
        """(topic, form key, person) of the valid choice."""
        return self._targets[self.cleaned_data["about"]]


class PRConfirmationForm(forms.Form):
    """One person's confirmation of permanent residence: presence in Canada, the Canadian
    mailing address for the PR card, and the photo (the upload pipeline's photo rules)."""

    in_canada = forms.TypedChoiceField(
        label=_("Is this person in Canada now?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether this person is in Canada now.")},
    )
    entered_canada_on = forms.DateField(
        label=_("Date this person entered Canada (or the date of their last entry)"),
        help_text=_("Format: YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give the date this person entered Canada."),
            "invalid": _("Enter the date as YYYY-MM-DD."),
        },
    )
    address_line = forms.CharField(
        label=_("Street address"),
        max_length=120,
        help_text=_("Number and street, in Canada. The PR card is mailed to this address."),
        error_messages={"required": _("Give the street address in Canada.")},
    )
    address_unit = forms.CharField(
        label=_("Apartment or unit (optional)"), max_length=20, required=False
    )
    city = forms.CharField(
        label=_("City or town"),
        max_length=60,
        error_messages={"required": _("Give the city or town.")},
    )
    province = forms.ChoiceField(
        label=_("Province or territory"),
        error_messages={
            "required": _("Choose the province or territory."),
            "invalid_choice": _("Choose a province or territory from the list."),
        },
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        help_text=_("For example K1A 0B1."),
        error_messages={"required": _("Give the postal code.")},
    )

    def __init__(self, *args, actor=None, **kwargs):
        from forms_imm import reference

        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Choose…")), *reference.choices("province")]
        self.fields["photo"] = UploadField(
            label=_("Photo of this person"),
            allowed_kinds=PHOTO_KINDS,
            min_width=PHOTO_MIN_WIDTH,
            min_height=PHOTO_MIN_HEIGHT,
            help_text=_(
                "A JPG or PNG digital photo, or a scanned photo, at least 420 × 540 pixels. "
                "Not a phone picture of a paper photo."
            ),
            error_messages={"required": _("Choose the photo to upload.")},
        )
        self.fields["photo"].actor = actor

    def clean_entered_canada_on(self):
        value = self.cleaned_data["entered_canada_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date cannot be in the future."), code="future_date")
        return value

    def clean_in_canada(self):
        if not self.cleaned_data["in_canada"]:
            raise forms.ValidationError(NotInCanada.default_message, code="not_in_canada")
        return True

    def clean_address_line(self):
        value = " ".join(self.cleaned_data["address_line"].split())
        if not value:
            raise forms.ValidationError(_("Give the street address in Canada."), code="required")
        return value

    def clean_city(self):
        value = " ".join(self.cleaned_data["city"].split())
        if not value:
            raise forms.ValidationError(_("Give the city or town."), code="required")
        return value

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ADDRESS_FIELDS}


class EcoprErrorForm(forms.Form):
    """Which part of the eCOPR is wrong, and what it should be."""

    field = forms.ChoiceField(
        label=_("Which information is wrong?"),
        choices=[("", _("Choose…")), *EcoprErrorReport.Field.choices],
        error_messages={
            "required": _("Choose the information that is wrong."),
            "invalid_choice": _("Choose one of the listed items."),
        },
    )
    correct_value = forms.CharField(
        label=_("What it should be"),
        max_length=EcoprErrorReport.VALUE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write the correct information."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )

    def clean_correct_value(self):
        value = self.cleaned_data["correct_value"].strip()
        if not value:
            raise forms.ValidationError(_("Write the correct information."), code="required")
        return value


class AppointRepresentativeForm(forms.Form):
    """The representative an individual appoints, by portal email or membership ID."""

    identifier = forms.CharField(
        label=_("Your representative's portal email address or membership ID number"),
        max_length=254,
        help_text=_(
            "Ask your representative for the email address of their representative portal "
            "account, or their membership ID (for example, their CICC number)."
        ),
        error_messages={"required": _("Enter the email address or the membership ID.")},
    )

    def clean_identifier(self):
        from applications.appointments import representative_find

        representative = representative_find(self.cleaned_data["identifier"])
        if representative is None:
            raise forms.ValidationError(
                _(
                    "No verified representative has this email address or membership ID. "
                    "Check it with your representative: they must have a verified account."
                ),
                code="not_found",
            )
        self.representative = representative
        return self.cleaned_data["identifier"]
