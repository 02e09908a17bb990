from django.contrib import admin

from .models import Client, TemporaryPasswordIssue


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
