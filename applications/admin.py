from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import DomainError

from . import intake as intake_services
from . import pr_confirmation, signatures, staff
from .access import get_document_for_application, get_pr_confirmation_for_application
from .changes import latest_diff
from .intake import intake_move_allowed, with_intake_counts
from .models import (
    Application,
    ApplicationEvent,
    ChecklistItem,
    CircumstanceChange,
    Document,
    DocumentRequest,
    EcoprErrorReport,
    FeeRule,
    IntakeChange,
    Person,
    PRConfirmation,
    Program,
    ProgramIntake,
    ReturnReason,
    SignatureEvent,
    StaffDecision,
    Submission,
)
from .program_checks import CHECKS
from .uploads import stored_file_response


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
    """Dates and notes are data; the state and the cap change only on the intake page
    (``ProgramAdmin.intake_view``), which warns representatives and keeps the history."""

    model = ProgramIntake
    can_delete = False
    readonly_fields = ("state", "cap", "used", "change_link")
    fields = (
        "state", "cap", "used", "change_link", "opens_at", "closes_at", "counts_only_complete",
        "note_en", "note_fr", "source_note", "is_uncertain",
    )  # fmt: skip

    @admin.display(description=_("open, pause, close or set the cap"))
    def change_link(self, intake):
        if intake.pk is None:
            return "-"
        url = reverse("admin:applications_program_intake", args=[intake.program_id])
        return format_html('<a href="{}">{}</a>', url, _("Change the intake"))


class ReadOnlyInline(admin.TabularInline):
    """Staff never edit an applicant's data: every inline here only shows rows."""

    extra = 0
    can_delete = False
    related: tuple[str, ...] = ()  # foreign keys the rows show, fetched in the same query

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IntakeChangeInline(ReadOnlyInline):
    """The intake history: who changed the state or cap, when, and how many were warned."""

    model = IntakeChange
    fields = (
        "at", "actor", "old_state", "new_state", "old_cap", "new_cap", "representatives_warned",
    )  # fmt: skip
    readonly_fields = fields
    related = ("actor",)
    max_num = 0

    def has_view_permission(self, request, obj=None):
        # Part of the program's record: whoever may see the program sees its intake history.
        return request.user.has_perm("applications.view_program")


class IntakeForm(forms.Form):
    """The new state and cap of a program's intake (applications.intake)."""

    state = forms.ChoiceField(label=_("Intake state"), choices=ProgramIntake.State.choices)
    cap = forms.IntegerField(
        label=_("Cap"),
        min_value=0,
        required=False,
        help_text=_("The number of applications accepted. Leave empty for no cap."),
    )
    confirm = forms.BooleanField(label=_("I confirm this change"), required=True)

    def __init__(self, *args, intake: ProgramIntake, drafts: int, **kwargs):
        super().__init__(*args, initial={"state": intake.state, "cap": intake.cap}, **kwargs)
        self.intake = intake
        self.fields["state"].help_text = _(
            "Pausing or closing the program blocks new applications and submissions, and "
            "emails each representative who has a draft in it (%(drafts)s drafts now)."
        ) % {"drafts": drafts}
        self.fields["cap"].help_text = _(
            "The number of applications accepted (%(used)s counted so far). Leave empty for no cap."
        ) % {"used": intake.used}

    def clean(self):
        cleaned = super().clean()
        state, cap = cleaned.get("state"), cleaned.get("cap")
        if state is None or "cap" in self.errors:
            return cleaned
        if not intake_move_allowed(self.intake.state, state):
            self.add_error(
                "state",
                forms.ValidationError(
                    _("A closed program can only be opened again."), code="move_not_allowed"
                ),
            )
        elif state == self.intake.state and cap == self.intake.cap:
            raise forms.ValidationError(
                _("Change the state or the cap: both are as they are now."), code="no_change"
            )
        if cap is not None and cap < self.intake.used:
            self.add_error(
                "cap",
                forms.ValidationError(
                    _("The cap cannot be lower than the %(used)s applications already counted."),
                    code="below_used",
                    params={"used": self.intake.used},
                ),
            )
        return cleaned


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
        ("current_version_date", "only_with_representative"),
    )


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = (
        "name_en", "code", "category", "intake_state", "submitted", "cap_usage", "drafts",
        "is_active",
    )  # fmt: skip
    list_filter = ("category", "is_active", "intake__state")
    list_select_related = ("intake",)
    search_fields = ("code", "name_en", "name_fr", "guide_number")
    inlines = [ProgramIntakeInline, IntakeChangeInline, ChecklistItemInline]

    def get_queryset(self, request):
        # The live counts come in the list's own query (applications.intake).
        return with_intake_counts(super().get_queryset(request))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every program has an intake row (open, no cap) even when its inline was left as is:
        # submission and the intake page lock that row.
        ProgramIntake.objects.get_or_create(program=form.instance)

    def get_list_display(self, request):
        # Program administrators get the state as a link to the intake page.
        if request.user.has_perm(intake_services.PERMISSION):
            return tuple(
                "intake_link" if name == "intake_state" else name for name in self.list_display
            )
        return self.list_display

    @admin.display(description=_("intake"), ordering="intake__state")
    def intake_state(self, program):
        return program.intake.get_state_display()

    @admin.display(description=_("intake"), ordering="intake__state")
    def intake_link(self, program):
        url = reverse("admin:applications_program_intake", args=[program.pk])
        return format_html('<a href="{}">{}</a>', url, program.intake.get_state_display())

    @admin.display(description=_("submitted"), ordering="submitted_count")
    def submitted(self, program):
        return program.submitted_count

    @admin.display(description=_("counted against the cap"))
    def cap_usage(self, program):
        intake = program.intake
        if intake.cap is None:
            return _("%(used)s (no cap)") % {"used": intake.used}
        return _("%(used)s of %(cap)s") % {"used": intake.used, "cap": intake.cap}

    @admin.display(description=_("drafts"), ordering="draft_count")
    def drafts(self, program):
        return program.draft_count

    def get_urls(self):
        view = self.admin_site.admin_view(
            require_http_methods(["GET", "HEAD", "POST"])(self.intake_view)
        )
        return [
            path("<path:object_id>/intake/", view, name="applications_program_intake"),
            *super().get_urls(),
        ]

    def intake_view(self, request, object_id):
        """Open, pause or close the program, or set its cap (program administrators)."""
        if not request.user.has_perm(intake_services.PERMISSION):
            raise PermissionDenied
        program = self.get_object(request, object_id)
        if program is None:
            raise Http404
        intake = program.intake
        drafts = intake_services.drafts_count(program.pk)
        form = IntakeForm(
            request.POST if request.method == "POST" else None, intake=intake, drafts=drafts
        )
        if request.method == "POST" and form.is_valid():
            try:
                change = intake_services.program_intake_change(
                    program=program,
                    state=form.cleaned_data["state"],
                    cap=form.cleaned_data["cap"],
                    actor=request.user,
                    ip=request.META.get("REMOTE_ADDR"),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                message = _("Intake changed: %(state)s. Representatives warned: %(count)s.") % {
                    "state": change.get_new_state_display(),
                    "count": change.representatives_warned,
                }
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:applications_program_change", args=[program.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": program,
            "title": _("Intake of %(program)s: %(state)s")
            % {"program": program.name, "state": intake.get_state_display()},
            "form": form,
            "submit_label": _("Change the intake"),
            "change_url": reverse("admin:applications_program_change", args=[program.pk]),
        }
        return TemplateResponse(request, "admin/support/supportrequest/action_form.html", context)


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


class PersonInline(ReadOnlyInline):
    model = Person
    fields = ("role", "relationship", "family_name", "given_names", "date_of_birth", "version")
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    """The application's uploads, read-only, each with a link to its staff preview."""

    model = Document
    fields = (
        "slot_key", "display_name", "state", "uploaded_at", "combine_status", "receipt_amount",
        "preview",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("application")
            .order_by("slot_key", "uploaded_at")
        )

    @admin.display(description=_("preview"))
    def preview(self, document):
        url = reverse(
            "admin:applications_application_document_preview",
            args=[document.application.public_id, document.public_id],
        )
        return format_html('<a href="{}">{}</a>', url, _("Preview"))


class StaffDecisionInline(ReadOnlyInline):
    model = StaffDecision
    fields = ("kind", "reason_list", "items", "note", "decided_by", "decided_at")
    readonly_fields = fields
    related = ("decided_by",)

    @admin.display(description=_("reasons"))
    def reason_list(self, decision):
        return "; ".join(decision.reason_labels)


class DocumentRequestInline(ReadOnlyInline):
    model = DocumentRequest
    fields = ("name", "due_on", "requested_by", "requested_at", "fulfilled_at", "fulfilled_file")
    readonly_fields = fields
    related = ("requested_by", "document")

    @admin.display(description=_("file received"))
    def fulfilled_file(self, request):
        return request.document.display_name if request.document else "—"


class CircumstanceChangeInline(ReadOnlyInline):
    """Documents the representative added after submission because circumstances changed."""

    model = CircumstanceChange
    fields = ("kind", "note", "file_name", "reported_at")
    readonly_fields = fields
    related = ("document",)

    def has_view_permission(self, request, obj=None):
        # Part of the application: whoever may view the application sees them (the role
        # groups predate this model and hold no permission of its own).
        return request.user.has_perm("applications.view_application")

    @admin.display(description=_("file"))
    def file_name(self, change):
        return change.document.display_name


class DocumentsReceivedFilter(admin.SimpleListFilter):
    """Applications where the representative answered a document request."""

    title = _("documents received")
    parameter_name = "documents_received"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(documents_received=self.value() == "yes")
        return queryset


class CircumstancesFilter(DocumentsReceivedFilter):
    """Applications with a change of circumstances reported after submission."""

    title = _("change of circumstances")
    parameter_name = "circumstances"

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(circumstances_reported=self.value() == "yes")
        return queryset


class ApplicationEventInline(ReadOnlyInline):
    """The history: who did what and when (codes only)."""

    model = ApplicationEvent
    fields = ("at", "action", "actor", "old_status", "new_status", "reason")
    readonly_fields = fields
    related = ("actor",)
    verbose_name_plural = _("history")


class StaffActionForm(forms.Form):
    """Reasons (from the action's own list), checklist items of the application and a note."""

    reasons = forms.MultipleChoiceField(
        label=_("Reasons"), widget=forms.CheckboxSelectMultiple, required=False
    )
    items = forms.MultipleChoiceField(
        label=_("Checklist items concerned"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the representative and the client"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("The representative and the client see this note. No personal data."),
    )
    confirm = forms.BooleanField(label=_("I confirm this action"), required=True)

    def __init__(self, *args, action: staff.StaffAction, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ReturnReason.choices)
        if action.reasons:
            self.fields["reasons"].choices = [(code, labels[code]) for code in action.reasons]
            self.fields["reasons"].required = True
        else:
            del self.fields["reasons"]
        if action.code == "return_incomplete":
            self.fields["items"].choices = [
                (item.code, item.name)
                for item in application.program.checklist.filter(is_active=True)
            ]
        else:
            del self.fields["items"]
        if not action.decision:
            del self.fields["note"]


class DocumentRequestForm(forms.Form):
    name = forms.CharField(label=_("Document requested"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"),
        help_text=_("Format: YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on <= timezone.localdate():
            raise forms.ValidationError(_("Give a due date after today."), code="past")
        return due_on


class PhotoReviewForm(forms.Form):
    """Accept the PR photo, or reject it with the reason the client reads."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the photo")), ("reject", _("Reject the photo"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text=_("The client reads this reason. Say what to change in the new photo."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", forms.ValidationError(pr_confirmation.ReasonMissing.default_message)
            )
        return cleaned


class PRConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person is in Canada and the photo is accepted: confirm permanent residence"),
        required=True,
    )


# What each verifier check means when it fails (signatures.event_problems and
# submission.submissions_verify), for the staff page.
CHECK_PROBLEMS = {
    "seal": _("the seal does not match: the record was altered"),
    "chain": _("the chain is broken: an earlier record was altered or removed"),
    "snapshot": _("the stored copy of what was signed does not match its hash"),
    "content": _("the form changed since it was signed"),
    "manifest": _("the manifest does not match its hash"),
    "file": _("a file changed in storage"),
    "lost": _("a file is missing from storage"),
}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """The staff queue and the read-only view of a whole application, with the staff actions.

    Nothing here edits an application: every change is a button that calls a service of
    ``applications.staff`` after a confirmation page.
    """

    list_display = (
        "application_number", "pa_name", "program", "status", "status_changed_at", "updated_at",
        "documents_received", "circumstances_reported",
    )  # fmt: skip
    list_display_links = ("application_number", "pa_name")
    list_filter = ("status", "program", DocumentsReceivedFilter, CircumstancesFilter)
    list_select_related = ("program", "principal_applicant")
    search_fields = (
        "application_number", "principal_applicant__family_name",
        "principal_applicant__given_names", "=public_id",
    )  # fmt: skip
    ordering = ("status_changed_at",)
    readonly_fields = (
        "public_id", "program", "representative", "client", "principal_applicant", "copied_from",
        "status", "status_changed_at", "version", "application_number", "program_details",
        "tasks_done", "tasks_total", "created_at", "updated_at",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [
        PersonInline, DocumentInline, DocumentRequestInline, CircumstanceChangeInline,
        StaffDecisionInline, ApplicationEventInline,
    ]  # fmt: skip

    def get_queryset(self, request):
        # The queue holds applications from submission on; drafts are the representative's.
        # The two flags are EXISTS subqueries: the changelist stays one query per page.
        return (
            super()
            .get_queryset(request)
            .filter(status__in=staff.QUEUE_STATUSES)
            .annotate(
                documents_received=Exists(
                    DocumentRequest.objects.filter(
                        application_id=OuterRef("pk"), fulfilled_at__isnull=False
                    )
                ),
                circumstances_reported=Exists(
                    CircumstanceChange.objects.filter(application_id=OuterRef("pk"))
                ),
            )
        )

    @admin.display(description=_("documents received"), boolean=True)
    def documents_received(self, application):
        return application.documents_received

    @admin.display(description=_("change of circumstances"), boolean=True)
    def circumstances_reported(self, application):
        return application.circumstances_reported

    @admin.display(
        description=_("principal applicant"), ordering="principal_applicant__family_name"
    )
    def pa_name(self, application):
        return application.client_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "show_close": True}
        if application is not None:
            extra_context["staff_actions"] = staff.actions_for(application, request.user)
            extra_context["printable_forms"] = self._printable_forms(application)
            extra_context["changes"] = self._changes(application)
            extra_context["can_request_documents"] = (
                request.user.has_perm("applications.request_documents")
                and application.status in staff.DOCUMENT_REQUEST_STATUSES
            )
            extra_context["pr_confirmations"] = self._pr_confirmations(application)
            extra_context["can_confirm_pr"] = request.user.has_perm(pr_confirmation.PERMISSION)
            extra_context["signatures"] = self._signatures(application)
            extra_context["submissions"] = self._submissions(application)
        return super().change_view(request, object_id, form_url, extra_context)

    def _pr_confirmations(self, application) -> list[PRConfirmation]:
        """Each person's confirmation with their error reports, in two queries."""
        confirmations = pr_confirmation.confirmations_for(application)
        reports: dict[int, list[EcoprErrorReport]] = {}
        for report in EcoprErrorReport.objects.filter(confirmation__application_id=application.pk):
            reports.setdefault(report.confirmation_id, []).append(report)
        for confirmation in confirmations:
            confirmation.reports = reports.get(confirmation.pk, [])
        return confirmations

    def _signatures(self, application) -> list[dict]:
        """Every signature with the verifier's result, in readable words (three queries)."""
        return [
            {"checked": checked, "problems": [CHECK_PROBLEMS[p] for p in checked.problems]}
            for checked in signatures.application_signatures_checked(application)
        ]

    def _submissions(self, application) -> list[dict]:
        """Each submission with its manifest, what ``submissions_verify`` finds wrong with it
        and the files and forms it lists (one query per submission, reading each file)."""
        from .submission import submissions_verify

        problems: dict[int, list[str]] = {}
        for mismatch in submissions_verify(application_id=application.public_id):
            problems.setdefault(mismatch.signature_id, []).append(CHECK_PROBLEMS[mismatch.problem])
        result = []
        for record in application.submissions.select_related("submitted_by").order_by("number"):
            files = record.manifest.get("files") or {}
            result.append(
                {
                    "record": record,
                    "problems": problems.get(record.pk, []),
                    "forms": sorted((record.manifest.get("forms") or {}).items()),
                    "files": sorted(files.items(), key=lambda item: item[1].get("slot", "")),
                }
            )
        return result

    def get_urls(self):
        def form_view(method):
            return self.admin_site.admin_view(require_http_methods(["GET", "HEAD", "POST"])(method))

        name = "applications_application"
        document = "document/<uuid:public_id>/<uuid:document_id>/"
        return [
            path(
                "<path:object_id>/act/<slug:code>/",
                form_view(self.action_view),
                name=f"{name}_act",
            ),
            path(
                "<path:object_id>/forms/<uuid:person_id>/<slug:form>/print/",
                self.admin_site.admin_view(require_safe(self.print_view)),
                name=f"{name}_print",
            ),
            path(
                "<path:object_id>/request-documents/",
                form_view(self.request_documents_view),
                name=f"{name}_request_documents",
            ),
            path(
                "<path:object_id>/pr/<uuid:person_id>/photo/",
                self.admin_site.admin_view(require_safe(self.pr_photo_view)),
                name=f"{name}_pr_photo",
            ),
            path(
                "<path:object_id>/pr/<uuid:person_id>/review/",
                form_view(self.pr_review_view),
                name=f"{name}_pr_review",
            ),
            path(
                "<path:object_id>/pr/<uuid:person_id>/confirm/",
                form_view(self.pr_confirm_view),
                name=f"{name}_pr_confirm",
            ),
            *(
                path(route, self.admin_site.admin_view(require_safe(view)), name=f"{name}_{key}")
                for route, view, key in (
                    (
                        "<path:object_id>/submissions/<int:number>/package/",
                        self.package_view,
                        "package",
                    ),
                    (f"{document}preview/", self.document_preview_view, "document_preview"),
                    (f"{document}page/<int:page>/", self.document_page_view, "document_page"),
                    (f"{document}image/", self.document_image_view, "document_image"),
                )
            ),  # fmt: skip
            *super().get_urls(),
        ]

    def _document(self, request, public_id, document_id):
        """The staff door to one document: view_application, then the application in the
        queue, then its document, else 404 (the preview partial links by public IDs)."""
        if not request.user.has_perm("applications.view_application"):
            raise PermissionDenied
        application = self.get_queryset(request).filter(public_id=public_id).first()
        if application is None:
            raise Http404
        return get_document_for_application(application, document_id)

    def document_preview_view(self, request, public_id, document_id):
        """The document's pages rendered on the server, as the representative and the client
        see them (document_views.preview_context writes the audit row)."""
        from .document_views import preview_context

        document = self._document(request, public_id, document_id)
        application = document.application
        context = {
            **self.admin_site.each_context(request),
            **preview_context(request, document),
            "opts": self.opts,
            "original": application,
            "application": application,
            "title": _("Preview of %(name)s") % {"name": document.display_name},
            "change_url": reverse("admin:applications_application_change", args=[application.pk]),
        }
        response = TemplateResponse(
            request, "admin/applications/application/document_preview.html", context
        )
        response["Cache-Control"] = "no-store"
        return response

    def document_page_view(self, request, public_id, document_id, page):
        from .document_views import page_response

        return page_response(self._document(request, public_id, document_id), page)

    def document_image_view(self, request, public_id, document_id):
        from .document_views import image_document_response

        return image_document_response(self._document(request, public_id, document_id))

    def package_view(self, request, object_id, number):
        """The package of one submission as it was sent, for staff who may see the
        application: an audited, no-store download (404 while it is being prepared)."""
        application = self._application(request, object_id, "applications.view_application")
        record = (
            application.submissions.filter(number=number, package__isnull=False)
            .select_related("package")
            .first()
        )
        if record is None:
            raise Http404
        return stored_file_response(
            record.package,
            download_name=f"{record.application_number}-{record.number}.pdf",
            request=request,
        )

    def _printable_forms(self, application) -> list[tuple[str, str, str]]:
        """(person's name, form label, staff URL) of every digital form the people need."""
        from forms_imm.sections import FORMS, form_needed

        today = timezone.localdate()
        return [
            (
                person.full_name,
                spec.title,
                reverse(
                    "admin:applications_application_print",
                    args=[application.pk, person.public_id, spec.key],
                ),
            )
            for person in application.people.order_by("created_at", "id")
            for spec in FORMS.values()
            if form_needed(spec, person, application, today)
        ]

    def _changes(self, application) -> dict | None:
        """What changed since the previous submission, with readable names: None before a
        second submission. Three queries (submissions, people, checklist)."""
        from .tasks_list import FORM_NAMES

        diff = latest_diff(application)
        if diff is None:
            return None
        people = {
            str(public_id): " ".join(filter(None, (given, family)))
            for public_id, given, family in application.people.values_list(
                "public_id", "given_names", "family_name"
            )
        }
        items = {item.code: item.name for item in application.program.checklist.all()}

        def label(key: str, names: dict, separator: str) -> str:
            head, _sep, person = key.partition(separator)
            name = str(names.get(head, head))
            return f"{name} — {people.get(person, person)}" if person else name

        def forms(keys):
            return [label(key, FORM_NAMES, ":") for key in keys]

        def slots(keys):
            return [label(key, items, "--") for key in keys]

        return {
            "diff": diff,
            "groups": [
                (_("Forms changed"), forms(diff.forms_changed)),
                (_("Forms added"), forms(diff.forms_added)),
                (_("Forms no longer included"), forms(diff.forms_removed)),
                (_("Documents added"), slots(diff.documents_added)),
                (_("Documents replaced"), slots(diff.documents_replaced)),
                (_("Documents removed"), slots(diff.documents_removed)),
                (_("New signatures"), forms(diff.signatures_new)),
            ],
        }

    def print_view(self, request, object_id, person_id, form):
        """The printable form, for staff who may see the application (the staff door to the
        view representatives and clients reach through get_application_for_user)."""
        from forms_imm.views import render_print

        application = self._application(request, object_id, "applications.view_application")
        return render_print(request, application, person_id, form)

    def _application(self, request, object_id, permission: str) -> Application:
        if not request.user.has_perm(permission):
            raise PermissionDenied
        application = self.get_object(request, object_id)
        if application is None:
            raise Http404
        return application

    def _pr_confirmation(self, request, object_id, person_id, permission: str):
        """The staff door to one person's PR confirmation: the permission, then the
        application in the queue, then the person's confirmation, else 404."""
        application = self._application(request, object_id, permission)
        return get_pr_confirmation_for_application(application, person_id)

    def pr_photo_view(self, request, object_id, person_id):
        """The photo the client sent, for the review page's preview (audited download)."""
        confirmation = self._pr_confirmation(
            request, object_id, person_id, "applications.view_prconfirmation"
        )
        if confirmation.photo_id is None:
            raise Http404
        photo = confirmation.photo
        return stored_file_response(photo, download_name=photo.display_name, request=request)

    def _pr_action(self, request, object_id, person_id, *, form_class, state, blocked, run, done):
        """A staff PR action page: the door, the state guard (a stale link goes back to the
        application), the form, ``run(confirmation, cleaned_data)``, then back with ``done``.
        Returns (confirmation, form, response): a response when the page is finished."""
        confirmation = self._pr_confirmation(
            request, object_id, person_id, pr_confirmation.PERMISSION
        )
        application = confirmation.application
        form = form_class(request.POST if request.method == "POST" else None)
        if confirmation.state != state:
            if not form.is_bound:
                return confirmation, form, self._stale(request, application, blocked)
            form.add_error(None, blocked)
        elif request.method == "POST" and form.is_valid():
            try:
                run(confirmation, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return confirmation, form, self._done(request, application, done)
        return confirmation, form, None

    def pr_review_view(self, request, object_id, person_id):
        def run(confirmation, data):
            pr_confirmation.pr_photo_review(
                confirmation=confirmation,
                actor=request.user,
                accept=data["decision"] == "accept",
                reason=data["reason"],
            )

        confirmation, form, response = self._pr_action(
            request,
            object_id,
            person_id,
            form_class=PhotoReviewForm,
            state=PRConfirmation.State.SUBMITTED,
            blocked=_("There is no photo waiting for review for this person."),
            run=run,
            done=_("Photo review recorded."),
        )
        if response is not None:
            return response
        title = _("Review the photo of %(name)s") % {"name": confirmation.person.full_name}
        return self._form_page(
            request,
            confirmation.application,
            form,
            title=title,
            submit_label=_("Record the decision"),
            template="admin/applications/application/pr_review.html",
            confirmation=confirmation,
        )

    def pr_confirm_view(self, request, object_id, person_id):
        confirmation, form, response = self._pr_action(
            request,
            object_id,
            person_id,
            form_class=PRConfirmForm,
            state=PRConfirmation.State.PHOTO_ACCEPTED,
            blocked=_("Permanent residence can be confirmed once the photo is accepted."),
            run=lambda confirmation, data: pr_confirmation.pr_confirm(
                confirmation=confirmation, actor=request.user
            ),
            done=_("Permanent residence confirmed. The eCOPR is being prepared."),
        )
        if response is not None:
            return response
        title = _("Confirm permanent residence of %(name)s") % {
            "name": confirmation.person.full_name
        }
        return self._form_page(
            request, confirmation.application, form, title=title, submit_label=title
        )

    def _form_page(
        self,
        request,
        application,
        form,
        *,
        title,
        submit_label,
        template="admin/support/supportrequest/action_form.html",
        **extra,
    ):
        context = {
            **extra,
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": application,
            "title": title,
            "form": form,
            "submit_label": submit_label,
            "change_url": reverse("admin:applications_application_change", args=[application.pk]),
        }
        return TemplateResponse(request, template, context)

    def _stale(self, request, application, message):
        """A stale link (the state moved on): back to the application, with the reason."""
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(
            reverse("admin:applications_application_change", args=[application.pk])
        )

    def _done(self, request, application, message):
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:applications_application_change", args=[application.pk])
        )

    def action_view(self, request, object_id, code):
        action = staff.ACTIONS.get(code)
        if action is None:
            raise Http404
        application = self._application(request, object_id, action.permission)
        form = StaffActionForm(
            request.POST if request.method == "POST" else None,
            action=action,
            application=application,
        )
        if not staff.action_allowed(application, code):
            blocked = _("This action is not possible in the current state of the application.")
            if not form.is_bound:
                return self._stale(request, application, blocked)
            form.add_error(None, blocked)
        elif request.method == "POST" and form.is_valid():
            try:
                staff.staff_action(
                    application=application,
                    code=code,
                    actor=request.user,
                    reasons=form.cleaned_data.get("reasons", []),
                    items=form.cleaned_data.get("items", []),
                    note=form.cleaned_data.get("note", ""),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return self._done(
                    request, application, _("Done: %(action)s.") % {"action": action.label}
                )
        return self._form_page(
            request, application, form, title=action.label, submit_label=action.label
        )

    def request_documents_view(self, request, object_id):
        application = self._application(request, object_id, "applications.request_documents")
        initial = {"due_on": timezone.localdate() + timedelta(days=30)}
        form = DocumentRequestForm(
            request.POST if request.method == "POST" else None, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                staff.staff_documents_request(
                    application=application,
                    name=form.cleaned_data["name"],
                    due_on=form.cleaned_data["due_on"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return self._done(request, application, _("Documents requested."))
        title = _("Request additional documents")
        return self._form_page(request, application, form, title=title, submit_label=title)


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
