from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import audit_record
from applications.uploads import stored_file_response

from .models import (
    MembershipBody,
    Representative,
    RepresentativeEvent,
    RepresentativeType,
)
from .services import (
    VERIFY_PERMISSION,
    representative_reinstate,
    representative_reject,
    representative_suspend,
    representative_verify,
)

PREVIEW_KINDS = {"jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


class MembershipBodyAdminForm(forms.ModelForm):
    representative_types = forms.MultipleChoiceField(
        label=_("Representative types"),
        choices=RepresentativeType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MembershipBody
        fields = [
            "code",
            "name_en",
            "name_fr",
            "representative_types",
            "membership_id_pattern",
            "pattern_hint_en",
            "pattern_hint_fr",
            "source_note",
            "is_active",
            "sort_order",
        ]


@admin.register(MembershipBody)
class MembershipBodyAdmin(admin.ModelAdmin):
    form = MembershipBodyAdminForm
    list_display = ("name_en", "code", "membership_id_pattern", "is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("name_en", "name_fr", "code")

    def has_delete_permission(self, request, obj=None):
        # Profiles point at bodies: deactivate one instead of deleting it.
        return False


class RepresentativeEventInline(admin.TabularInline):
    model = RepresentativeEvent
    fields = ("at", "old_status", "new_status", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_(
            "Emailed to the representative: say what to correct. Do not include personal "
            "data beyond what they sent."
        ),
        error_messages={"required": _("Give the reason: the representative needs it to fix it.")},
    )


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    """Staff read the profile and decide; the status changes only through the services."""

    list_display = (
        "full_name",
        "email",
        "rep_type",
        "membership_body",
        "membership_id",
        "status",
        "submitted_at",
    )
    list_filter = ("status", "rep_type", "membership_body")
    search_fields = ("full_name", "user__email", "membership_id")
    list_select_related = ("user", "membership_body")
    ordering = ("-submitted_at", "-pk")
    show_full_result_count = False
    fieldsets = (
        (
            _("Verification"),
            {
                "fields": (
                    "status",
                    "status_changed_at",
                    "submitted_at",
                    "verified_at",
                    "verified_by",
                    "rejection_reason",
                )
            },
        ),
        (_("Membership"), {"fields": ("rep_type", "membership_body", "membership_id")}),
        (
            _("Identity"),
            {"fields": ("full_name", "email", "id_document_type", "id_document_links")},
        ),
        (
            _("Business"),
            {
                "fields": (
                    "firm_name",
                    "address_street",
                    "address_unit",
                    "address_city",
                    "address_province",
                    "address_region",
                    "address_postal_code",
                    "address_country",
                    "phone_display",
                )
            },
        ),
    )
    readonly_fields = ("email", "id_document_links", "phone_display")
    inlines = [RepresentativeEventInline]
    change_form_template = "admin/representatives/representative/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user", "membership_body", "verified_by", "id_document")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only for everyone, superusers included: decisions go through the buttons.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("email address"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("telephone number"))
    def phone_display(self, obj):
        return obj.phone_display

    @admin.display(description=_("identity document"))
    def id_document_links(self, obj):
        if not obj.id_document_id:
            return gettext("None on file")
        download = reverse("admin:representatives_representative_id_document", args=[obj.public_id])
        if obj.id_document.kind not in PREVIEW_KINDS:
            return format_html('<a href="{}">{}</a>', download, gettext("Download"))
        preview = reverse("admin:representatives_representative_id_preview", args=[obj.public_id])
        return format_html(
            '<a href="{}">{}</a><br><img class="id-document-preview" src="{}" alt="{}" '
            'width="480">',
            download,
            gettext("Download"),
            preview,
            gettext("The identity document the representative sent"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_verify": request.user.has_perm(VERIFY_PERMISSION),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def wrap(view, name):
            return path(
                f"<uuid:public_id>/{name.replace('_', '-')}/",
                self.admin_site.admin_view(view),
                name=f"representatives_representative_{name}",
            )

        return [
            wrap(self.verify_view, "verify"),
            wrap(self.reinstate_view, "reinstate"),
            wrap(self.reject_view, "reject"),
            wrap(self.suspend_view, "suspend"),
            wrap(self.id_document_view, "id_document"),
            wrap(self.id_preview_view, "id_preview"),
        ] + super().get_urls()

    # The views below are the admin's door: staff with the verify permission only.
    def _get_for_verifier(self, request, public_id) -> Representative:
        if not request.user.has_perm(VERIFY_PERMISSION):
            raise PermissionDenied
        representative = self.get_queryset(request).filter(public_id=public_id).first()
        if representative is None:
            raise Http404
        return representative

    def _done(self, request, representative, message):
        messages.success(request, message)
        return redirect("admin:representatives_representative_change", representative.pk)

    def _ip(self, request):
        from allauth.account.adapter import get_adapter

        return get_adapter(request).get_client_ip(request)

    def verify_view(self, request, public_id):
        return require_POST(self._verify)(request, public_id)

    def _verify(self, request, public_id):
        representative = self._get_for_verifier(request, public_id)
        representative_verify(
            representative=representative, actor=request.user, ip=self._ip(request)
        )
        return self._done(
            request, representative, gettext("The representative is verified and was emailed.")
        )

    def reinstate_view(self, request, public_id):
        return require_POST(self._reinstate)(request, public_id)

    def _reinstate(self, request, public_id):
        representative = self._get_for_verifier(request, public_id)
        representative_reinstate(
            representative=representative, actor=request.user, ip=self._ip(request)
        )
        return self._done(
            request, representative, gettext("The representative is reinstated and was emailed.")
        )

    def reject_view(self, request, public_id):
        return require_http_methods(["GET", "POST"])(self._reason_view)(
            request, public_id, action="reject"
        )

    def suspend_view(self, request, public_id):
        return require_http_methods(["GET", "POST"])(self._reason_view)(
            request, public_id, action="suspend"
        )

    def _reason_view(self, request, public_id, *, action):
        representative = self._get_for_verifier(request, public_id)
        service = representative_reject if action == "reject" else representative_suspend
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            service(
                representative=representative,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ip=self._ip(request),
            )
            done = {
                "reject": gettext("The representative is rejected and was emailed the reason."),
                "suspend": gettext("The representative is suspended and was emailed the reason."),
            }[action]
            return self._done(request, representative, done)
        title = {
            "reject": gettext("Reject representative"),
            "suspend": gettext("Suspend representative"),
        }[action]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": representative,
            "title": title,
            "form": form,
            "action": action,
        }
        return TemplateResponse(
            request, "admin/representatives/representative/reason_form.html", context
        )

    def id_document_view(self, request, public_id):
        return require_safe(self._id_document)(request, public_id)

    def _id_document(self, request, public_id):
        representative = self._get_for_verifier(request, public_id)
        document = representative.id_document
        if document is None:
            raise Http404
        return stored_file_response(
            document,
            download_name=f"identity-document-{representative.public_id}."
            + EXTENSIONS.get(document.kind, "bin"),
            request=request,
            actor=request.user,
        )

    def id_preview_view(self, request, public_id):
        return require_safe(self._id_preview)(request, public_id)

    def _id_preview(self, request, public_id):
        """Show an image document inline (images were re-encoded on upload; PDFs never inline)."""
        representative = self._get_for_verifier(request, public_id)
        document = representative.id_document
        if document is None or document.kind not in PREVIEW_KINDS:
            raise Http404
        audit_record(
            actor=request.user,
            action="representative.id_document_viewed",
            obj=representative,
            ip=self._ip(request),
        )
        response = FileResponse(document.file.open("rb"), content_type=PREVIEW_KINDS[document.kind])
        response["Content-Disposition"] = "inline"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response
