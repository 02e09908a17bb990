from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Application,
    ChecklistItem,
    Document,
    FeeRule,
    Person,
    Program,
    ProgramIntake,
    SignatureEvent,
    Submission,
)
from .program_checks import CHECKS


class ProgramAdminForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "code", "name_en", "name_fr", "category", "is_active", "order",
            "guide_number", "guide_title_en", "guide_title_fr", "other_guides",
            "fee_category", "rprf_exempt", "imm5562_required", "digital_forms", "signing_mode",
            "signable_items",
            "allows_dependants", "forbidden_provinces", "required_provinces",
            "application_number_prefix", "checks", "details_fields",
            "special_rules_en", "special_rules_fr", "source_note",
        ]  # fmt: skip

    def clean_checks(self):
        checks = self.cleaned_data["checks"] or []
        unknown = [name for name in checks if name not in CHECKS]
        if unknown:
            raise forms.ValidationError(
                _("Unknown check(s): %(names)s. Known checks: %(known)s."),
                code="unknown_check",
                params={"names": ", ".join(unknown), "known": ", ".join(sorted(CHECKS))},
            )
        return checks

    def clean_application_number_prefix(self):
        prefix = self.cleaned_data["application_number_prefix"]
        if not (len(prefix) == 1 and "A" <= prefix <= "Z"):
            raise forms.ValidationError(_("Use one capital letter."), code="bad_prefix")
        return prefix


class ProgramIntakeInline(admin.StackedInline):
    model = ProgramIntake
    can_delete = False
    readonly_fields = ("used",)
    fields = (
        "state", "opens_at", "closes_at", "cap", "used", "counts_only_complete",
        "note_en", "note_fr", "source_note", "is_uncertain",
    )  # fmt: skip


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    extra = 0
    can_delete = False  # switch "asked for" off instead, so drafts can flag their uploads
    fields = (
        ("code", "kind", "form_number", "order", "is_active"),
        ("name_en", "name_fr"),
        ("roles", "requirement", "accepted_types"),
        ("condition_en", "condition_fr"),
        ("wet_signature", "signers_en", "signers_fr"),
        ("note_en", "note_fr", "is_uncertain"),
        ("current_version_date",),
    )


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ("name_en", "code", "category", "guide_number", "intake_state", "is_active")
    list_filter = ("category", "is_active", "intake__state")
    list_select_related = ("intake",)
    search_fields = ("code", "name_en", "name_fr", "guide_number")
    inlines = [ProgramIntakeInline, ChecklistItemInline]

    @admin.display(description=_("intake"), ordering="intake__state")
    def intake_state(self, program):
        return program.intake.get_state_display()


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    list_display = (
        "fee_category",
        "role",
        "amount",
        "effective_from",
        "effective_to",
        "is_uncertain",
    )
    list_filter = ("fee_category", "role", "is_uncertain")
    fields = (
        "fee_category",
        "role",
        "amount",
        "effective_from",
        "effective_to",
        "source_note",
        "is_uncertain",
    )


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    can_delete = False
    fields = ("role", "relationship", "family_name", "given_names", "date_of_birth", "version")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DocumentInline(admin.TabularInline):
    """The application's uploads, read-only (files are served to staff in a later issue)."""

    model = Document
    extra = 0
    can_delete = False
    fields = (
        "slot_key", "display_name", "state", "uploaded_at", "combine_status", "receipt_amount",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("slot_key", "uploaded_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: status changes go through the services (admin actions in later issues)."""

    list_display = ("public_id", "program", "status", "application_number", "updated_at")
    list_filter = ("status", "program")
    list_select_related = ("program",)
    search_fields = ("application_number", "=public_id")
    readonly_fields = (
        "public_id", "program", "representative", "client", "principal_applicant", "copied_from",
        "status", "status_changed_at", "version", "application_number", "program_details",
        "tasks_done", "tasks_total", "created_at", "updated_at",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [PersonInline, DocumentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence is shown, never changed: no add, change or delete in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureEvent)
class SignatureEventAdmin(ReadOnlyAdmin):
    list_display = ("form_key", "capacity", "signer_role", "signed_at", "application")
    list_filter = ("capacity",)
    list_select_related = ("application",)
    exclude = ("content_json",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("application_number", "number", "submitted_at", "package_status")
    list_select_related = ("application",)
    exclude = ("manifest",)
