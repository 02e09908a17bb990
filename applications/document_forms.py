"""Forms for document slots: the upload (with the slot's extra questions) and further files.

Each form is built for one slot (applications.documents.Slot): the file field accepts the
slot's types only, photos have a minimum size, IRCC-form slots accept IRCC's own fillable PDFs
(flagged), hand-signed forms ask who signed and when, fee receipts ask for the amount, and a
document that is not in English or French needs its translation.
"""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .documents import (
    IMM5476_MAX_AGE_DAYS,
    PHOTO_MIN_HEIGHT,
    PHOTO_MIN_WIDTH,
    Slot,
    imm5476_date_problem,
)
from .forms import DATE_FORMATS
from .uploads import KINDS, UploadField, _megabytes

DATE_HINT = _("Format: YYYY-MM-DD, for example 2026-03-15.")
RECEIPT_MAX = Decimal("999999.99")


def _types_hint(kinds) -> str:
    labels = ", ".join(KINDS[kind].label for kind in KINDS if kind in kinds)
    size = _megabytes(getattr(settings, "UPLOAD_MAX_BYTES", 4_000_000))
    return _("Accepted types: %(types)s. At most %(size)s MB per file.") % {
        "types": labels,
        "size": size,
    }


def _date_field(label, *, required: bool, help_text=DATE_HINT, required_message=None):
    field = forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter a real date in the format YYYY-MM-DD, for example 2026-03-15."),
            "required": required_message or _("Enter the date."),
        },
    )
    field.widget.attrs.update({"autocomplete": "off", "inputmode": "numeric"})
    return field


def _receipt_field():
    return forms.DecimalField(
        label=_("Amount on the receipt (CAD)"),
        help_text=_(
            "The total shown on the IRCC official receipt, for example 1290.00. If you paid "
            "in several payments, enter each receipt’s amount with its file."
        ),
        min_value=Decimal("0"),
        max_value=RECEIPT_MAX,
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Enter the amount shown on the receipt."),
            "invalid": _("Enter an amount in dollars and cents, for example 1290.00."),
            "min_value": _("The amount cannot be negative."),
            "max_value": _("Check the amount: it is larger than any IRCC fee."),
            "max_digits": _("Check the amount: it is larger than any IRCC fee."),
            "max_decimal_places": _("Enter at most 2 digits for the cents."),
            "max_whole_digits": _("Check the amount: it is larger than any IRCC fee."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _file_field(slot: Slot, kinds, *, label, required=True, actor=None) -> UploadField:
    field = UploadField(
        allowed_kinds=kinds,
        allow_active_pdf=slot.is_ircc_form,
        min_width=PHOTO_MIN_WIDTH if slot.is_photo else None,
        min_height=PHOTO_MIN_HEIGHT if slot.is_photo else None,
        label=label,
        required=required,
        help_text=_types_hint(kinds),
        error_messages={"required": _("Choose a file to upload.")},
    )
    field.actor = actor
    return field


class DocumentUploadForm(forms.Form):
    """The file for a slot, with what the slot asks about it."""

    def __init__(self, *args, slot: Slot, actor, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot, self.today = slot, today
        self.fields["file"] = _file_field(slot, slot.allowed_kinds, label=_("File"), actor=actor)
        if slot.is_photo:
            self.fields["file"].help_text = _(
                "%(types)s The photo must be at least %(width)s × %(height)s pixels."
            ) % {
                "types": self.fields["file"].help_text,
                "width": PHOTO_MIN_WIDTH,
                "height": PHOTO_MIN_HEIGHT,
            }
        if slot.current is not None:
            self.fields["replace_confirmed"] = forms.BooleanField(
                label=_(
                    "Replace the current file. The current file is kept in the history of "
                    "this slot, and files waiting to be combined with it are removed."
                ),
                error_messages={
                    "required": _(
                        "Tick the box to confirm that the new file replaces the current one."
                    )
                },
            )
        if slot.wet_signature:
            self.fields["signed_by_hand_confirmed"] = forms.BooleanField(
                label=_(
                    "This form was printed, signed by hand and scanned. "
                    "Signed by hand by: %(signers)s"
                )
                % {"signers": slot.signers or _("everyone who must sign it")},
                error_messages={
                    "required": _(
                        "Confirm that the form was signed by hand by everyone who must sign it."
                    )
                },
            )
            hint = DATE_HINT
            if slot.is_imm5476:
                hint = _(
                    "Format: YYYY-MM-DD. IRCC returns IMM 5476 if it was signed more than %(days)s "
                    "days before the application is submitted, or if it is post-dated."
                ) % {"days": IMM5476_MAX_AGE_DAYS}
            self.fields["signature_date"] = _date_field(
                _("Signature date"),
                required=True,
                help_text=hint,
                required_message=_("Enter the date the form was signed."),
            )
        if slot.is_ircc_form:
            self.fields["form_version_date"] = _date_field(
                _("Form version date (optional)"),
                required=False,
                help_text=_(
                    "The date printed at the bottom left of each page of the form, for example "
                    "2024-03-01. The portal warns you if a newer version exists."
                ),
            )
        if slot.is_fee_receipt:
            self.fields["receipt_amount"] = _receipt_field()
        if slot.kind == "document":
            self.fields["not_in_english_or_french"] = forms.BooleanField(
                required=False,
                label=_("This document is not in English or French"),
                help_text=_(
                    "Then also upload its English or French translation, with the translator’s "
                    "affidavit (not needed if the translator is a certified member of a "
                    "Canadian translators’ body). A family member must never translate it."
                ),
            )
            self.fields["translation"] = _file_field(
                slot,
                slot.allowed_kinds,
                label=_("Translation and translator’s affidavit"),
                required=False,
                actor=actor,
            )

    def clean_signature_date(self):
        value = self.cleaned_data["signature_date"]
        problem = imm5476_date_problem(value, self.today) if self.slot.is_imm5476 else None
        if value > self.today or problem == "signature_future":
            raise forms.ValidationError(
                _("The signature date cannot be in the future: IRCC returns post-dated forms."),
                code="signature_future",
            )
        if problem == "signature_stale":
            oldest = self.today - timedelta(days=IMM5476_MAX_AGE_DAYS)
            raise forms.ValidationError(
                _(
                    "IMM 5476 must be signed on or after %(date)s (at most %(days)s days before "
                    "submission). Have it signed again and upload the new copy."
                ),
                code="signature_stale",
                params={"date": oldest.isoformat(), "days": IMM5476_MAX_AGE_DAYS},
            )
        return value

    def clean_form_version_date(self):
        value = self.cleaned_data.get("form_version_date")
        if value and value > self.today:
            raise forms.ValidationError(
                _("The form version date cannot be in the future."), code="version_future"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("not_in_english_or_french") and not cleaned.get("translation"):
            if "translation" not in self.errors:
                self.add_error(
                    "translation",
                    forms.ValidationError(
                        _(
                            "Upload the English or French translation with the translator’s "
                            "affidavit, or untick “not in English or French”."
                        ),
                        code="translation_required",
                    ),
                )
        return cleaned


class DocumentPartForm(forms.Form):
    """A further file for a slot that has one already, to be combined into one PDF."""

    def __init__(self, *args, slot: Slot, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot
        self.fields["file"] = _file_field(
            slot, slot.combine_kinds, label=_("File to add"), actor=actor
        )
        if slot.is_fee_receipt:
            self.fields["receipt_amount"] = _receipt_field()


class CircumstanceChangeForm(DocumentUploadForm):
    """A change-of-circumstances document after submission: what changed, a short note and
    the file, checked like every upload."""

    def __init__(self, *args, **kwargs):
        from .models import CircumstanceChange

        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("What changed"),
            choices=CircumstanceChange.Kind.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose what changed.")},
        )
        self.fields["note"] = forms.CharField(
            label=_("Short note for IRCC staff"),
            max_length=300,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "At most 300 characters, for example: the new passport number ends in 123."
            ),
            error_messages={
                "max_length": _("Keep the note to %(limit_value)d characters or fewer.")
            },
        )
        self.order_fields(["kind", "note"])
