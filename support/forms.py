import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.models import Program
from applications.uploads import UploadField, _megabytes

from .models import SupportRequest
from .services import MAX_SCREENSHOTS, SubmittedRequest

APPLICATION_NUMBER_PATTERN = re.compile(r"[A-Z][0-9]{9}")
DESCRIPTION_MAX_CHARS = 5000
MESSAGE_MAX_CHARS = 5000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ScreenshotsField(UploadField):
    """Up to ``MAX_SCREENSHOTS`` images in one accessible file input, each checked by the
    upload pipeline on its own. Returns a list of ``CheckedUpload``; a refusal names the file
    by its position, never by its name."""

    default_error_messages = {
        "too_many": _("Attach at most %(limit)s screenshots."),
        "one_refused": _("Screenshot %(number)s: %(reason)s"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(allowed_kinds={"png", "jpeg"}, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            return super().clean(None, initial) or []
        if len(files) > MAX_SCREENSHOTS:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_SCREENSHOTS}
            )
        checked, errors = [], []
        for number, uploaded in enumerate(files, start=1):
            try:
                checked.append(super().clean(uploaded, initial))
            except ValidationError as refusal:
                for reason in refusal.messages:
                    errors.append(
                        ValidationError(
                            self.error_messages["one_refused"],
                            code=getattr(refusal, "code", None) or "refused",
                            params={"number": number, "reason": reason},
                        )
                    )
        if errors:
            raise ValidationError(errors)
        return checked


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SupportRequestForm(forms.Form):
    """The technical-issue web form (workflow.md §11). Works signed in or not."""

    error_messages = {
        "uci_invalid": _(
            "Enter the UCI as 8 or 10 digits, for example 00-0000-0000. If there is no UCI yet, "
            "enter 1111111111."
        ),
        "application_number_invalid": _(
            "Enter the application number as a capital letter followed by 9 digits, for example "
            "E000000000. If nothing has been submitted yet, enter 0000000."
        ),
    }

    category = forms.ChoiceField(
        label=_("Select your problem"),
        choices=[("", _("Choose the kind of problem")), *SupportRequest.Category.choices],
        error_messages={"required": _("Select the kind of problem.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the acknowledgement and our replies to this address."),
        max_length=254,
        error_messages={"required": _("Enter your email address.")},
    )
    uci = forms.CharField(
        label=_("Unique client identifier (UCI)"),
        help_text=_("8 or 10 digits. If there is no UCI yet, enter 1111111111."),
        max_length=14,
        error_messages={"required": _("Enter the UCI, or 1111111111 if there is none yet.")},
    )
    application_number = forms.CharField(
        label=_("Application number"),
        help_text=_(
            "A capital letter followed by 9 digits, for example E000000000. If nothing has been "
            "submitted yet, enter 0000000."
        ),
        max_length=12,
        error_messages={
            "required": _("Enter the application number, or 0000000 if there is none yet.")
        },
    )
    program = ProgramChoiceField(
        label=_("Program"),
        help_text=_("The program the applicant is applying under."),
        queryset=Program.objects.none(),
        empty_label=_("Choose a program"),
        error_messages={"required": _("Select the program.")},
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        help_text=_(
            "What were you trying to do, on which page, and what happened? Copy any error "
            "message exactly. At most 5,000 characters."
        ),
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe the problem."),
            "max_length": _("Shorten the description to 5,000 characters or fewer."),
        },
    )
    screenshots = ScreenshotsField(label=_("Screenshots (optional)"), required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.active().only(
            "pk", "name_en", "name_fr", "order"
        )
        screenshots = self.fields["screenshots"]
        screenshots.help_text = _(
            "Up to %(limit)s images of the page and fields with the problem and any error "
            "message. PNG or JPG, at most %(size)s MB each. You can select several files at once."
        ) % {"limit": MAX_SCREENSHOTS, "size": _megabytes(settings.UPLOAD_MAX_BYTES)}
        if actor is not None:
            # Refusals are audited for everyone, signed in or not (QUALITY.md §4).
            screenshots.actor = actor

    def clean_uci(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["uci"])
        if not re.fullmatch(r"[0-9]{8}|[0-9]{10}", digits):
            raise ValidationError(self.error_messages["uci_invalid"], code="uci_invalid")
        return digits

    def clean_application_number(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["application_number"]).upper()
        if value == SupportRequest.NO_APPLICATION_NUMBER:
            return value
        if not APPLICATION_NUMBER_PATTERN.fullmatch(value):
            raise ValidationError(
                self.error_messages["application_number_invalid"],
                code="application_number_invalid",
            )
        return value

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def submitted(self) -> SubmittedRequest:
        data = self.cleaned_data
        return SubmittedRequest(
            category=data["category"],
            name=data["name"],
            email=data["email"],
            uci=data["uci"],
            application_number=data["application_number"],
            program_id=data["program"].pk if data["program"] else None,
            description=data["description"],
        )


class FollowUpForm(forms.Form):
    message = forms.CharField(
        label=_("Add information"),
        help_text=_("At most 5,000 characters. Our staff see it with your request."),
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Enter the information to add."),
            "max_length": _("Shorten the message to 5,000 characters or fewer."),
        },
    )
