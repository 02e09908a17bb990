from django import forms
from django.utils.translation import gettext_lazy as _


class MfaResetRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have lost both my authenticator app and my recovery codes"),
        error_messages={
            "required": _(
                "Confirm that you have lost both your authenticator app and your recovery codes."
            )
        },
    )
