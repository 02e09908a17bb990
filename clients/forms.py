"""Forms of the client's own pages: choosing a password and asking for a correction."""

from allauth.account.forms import SetPasswordForm
from django import forms
from django.utils.translation import gettext_lazy as _

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
