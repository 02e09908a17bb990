from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, MfaResetRequest, OutboxEmail, StoredFile, User
from .services import mfa_reset_grant, mfa_reset_refuse, outbox_retry


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "role", "is_active", "is_staff", "date_joined")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email",)
    readonly_fields = ("public_id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        (_("Kind"), {"fields": ("role", "preferred_language", "is_demo")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    filter_horizontal = ("groups",)

    # Powers only a superuser grants: staff who may change users fix emails and deactivate
    # accounts, but cannot make anyone (themselves included) staff, superuser or a group member.
    POWER_FIELDS = ("role", "is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields += [name for name in self.POWER_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes a staff or superuser account (its email or password would
        otherwise be a way into a more powerful account)."""
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_staff or obj.is_superuser) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups carry permissions: only a superuser creates, changes or deletes them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by services: staff may look, never add, edit or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    # Bodies are not shown: they can hold sign-in links and temporary passwords.
    list_display = ("created_at", "to", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("status",)
    search_fields = ("to", "=message_id")
    ordering = ("-created_at",)
    fields = (
        "public_id",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "message_id",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["retry_dead"]

    def has_change_permission(self, request, obj=None):
        # The changelist needs it for the retry action; single rows stay read-only.
        return obj is None and request.user.has_perm("accounts.change_outboxemail")

    @admin.action(description=_("Retry the selected dead emails"), permissions=["change"])
    def retry_dead(self, request, queryset):
        retried = 0
        for email_id in queryset.filter(status=OutboxEmail.Status.DEAD).values_list(
            "pk", flat=True
        ):
            outbox_retry(email_id=email_id, actor=request.user)
            retried += 1
        skipped = queryset.count() - retried
        self.message_user(
            request,
            _("%(retried)d emails queued again; %(skipped)d skipped (not dead).")
            % {"retried": retried, "skipped": skipped},
            messages.SUCCESS if retried else messages.WARNING,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "action",
        "outcome",
        "actor",
        "actor_role",
        "object_type",
        "reason",
    )
    list_filter = ("outcome", "action", "actor_role")
    list_select_related = ("actor",)
    search_fields = ("=object_id", "=request_id", "action")
    ordering = ("-id",)
    show_full_result_count = False  # a full COUNT(*) on a table that only grows

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEvent._meta.fields]


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "public_id", "kind", "size", "purpose", "uploaded_by")
    list_filter = ("kind", "purpose")
    list_select_related = ("uploaded_by",)
    search_fields = ("=public_id", "=sha256")
    ordering = ("-created_at",)
    # The storage path is not shown; files are reached only through access-checked views.
    exclude = ("file",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in StoredFile._meta.fields if field.name != "file"]


class IdentityCheckForm(forms.Form):
    identity_check = forms.ChoiceField(
        label=_("How did you confirm the person’s identity?"),
        choices=[("", "---------"), *MfaResetRequest.IdentityCheck.choices],
    )


@admin.register(MfaResetRequest)
class MfaResetRequestAdmin(ReadOnlyAdmin):
    """Requests to remove two-step verification from an account. Granting needs an identity
    check done outside the portal, recorded with the decision; nobody grants their own."""

    list_display = ("requested_at", "user", "user_role", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("user", "decided_by")
    search_fields = ("=user__email",)
    ordering = ("-requested_at",)
    fields = (
        "public_id", "user", "status", "requested_at", "identity_check", "decided_by",
        "decided_at",
    )  # fmt: skip
    readonly_fields = fields
    actions = ["grant_reset", "refuse_reset"]

    def has_change_permission(self, request, obj=None):
        # The changelist needs it for the actions; single rows stay read-only.
        return obj is None and request.user.has_perm("accounts.change_mfaresetrequest")

    @admin.display(description=_("role"))
    def user_role(self, obj):
        return obj.user.get_role_display()

    def _one_pending(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one request."), messages.ERROR)
            return None
        reset = queryset.select_related("user").first()
        if reset.status != MfaResetRequest.Status.PENDING:
            self.message_user(request, _("This request was already decided."), messages.ERROR)
            return None
        if reset.user_id == request.user.pk:
            self.message_user(
                request, _("Another staff member must decide on your own request."), messages.ERROR
            )
            return None
        return reset

    @admin.action(description=_("Grant the reset after an identity check"), permissions=["change"])
    def grant_reset(self, request, queryset):
        reset = self._one_pending(request, queryset)
        if reset is None:
            return None
        form = IdentityCheckForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            mfa_reset_grant(
                reset=reset, actor=request.user, identity_check=form.cleaned_data["identity_check"]
            )
            self.message_user(
                request,
                _("Two-step verification was removed and the person was told by email."),
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Grant a two-step verification reset"),
            "reset": reset,
            "form": form,
            "action": "grant_reset",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/mfaresetrequest/grant.html", context)

    @admin.action(
        description=_("Refuse the reset (identity not confirmed)"), permissions=["change"]
    )
    def refuse_reset(self, request, queryset):
        reset = self._one_pending(request, queryset)
        if reset is None:
            return
        mfa_reset_refuse(reset=reset, actor=request.user)
        self.message_user(request, _("Reset refused; the person was told by email."))
