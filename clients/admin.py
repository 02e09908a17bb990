from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.request_meta import client_ip

from .models import Client, TemporaryPasswordIssue
from .services import DELETABLE_APPLICATION_STATUSES, ClientNotDeletable, client_account_delete


class TemporaryPasswordIssueInline(admin.TabularInline):
    model = TemporaryPasswordIssue
    extra = 0
    can_delete = False
    fields = ("reason", "issued_by", "issued_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Invitation facts only; the temporary password hash is never shown."""

    list_display = ("public_id", "user", "activated_at", "temporary_password_expires_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "=public_id")
    fields = (
        "public_id", "user", "temporary_password_sent_at", "temporary_password_expires_at",
        "temporary_password_used_at", "activated_at", "created_at",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [TemporaryPasswordIssueInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    actions = ["delete_account_created_by_mistake"]

    def has_delete_account_permission(self, request):
        return request.user.has_perm("clients.delete_client")

    @admin.action(
        description=_("Delete the client account (created by mistake)"),
        permissions=["delete_account"],
    )
    def delete_account_created_by_mistake(self, request, queryset):
        """workflow.md §12: shows what is lost and asks for confirmation first."""
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one client account."), messages.ERROR)
            return None
        client = queryset.select_related("user").first()
        if not client.user.is_active:
            self.message_user(
                request, _("This client account was already deleted."), messages.ERROR
            )
            return None
        if "confirm" in request.POST:
            try:
                client_account_delete(client=client, actor=request.user, ip=client_ip(request))
            except ClientNotDeletable as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                return None
            self.message_user(
                request,
                _(
                    "The client account was deleted. Its email address can now be used to "
                    "register as a representative. Its applications were not transferred."
                ),
                messages.SUCCESS,
            )
            return None
        applications = list(
            client.applications.select_related("program").only(
                "public_id", "status", "application_number", "created_at",
                "program__name_en", "program__name_fr",
            )
        )  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Delete a client account created by mistake"),
            "client": client,
            "applications": applications,
            "blocked": any(a.status not in DELETABLE_APPLICATION_STATUSES for a in applications),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/clients/client/delete_account.html", context)
