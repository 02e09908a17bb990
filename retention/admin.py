"""The record of removed drafts, read-only: written by the retention job only."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin

from .models import RemovedDraft


@admin.register(RemovedDraft)
class RemovedDraftAdmin(ReadOnlyAdmin):
    list_display = (
        "removed_at", "application_public_id", "program", "representative", "status",
        "last_change_at", "documents", "files",
    )  # fmt: skip
    list_filter = ("program",)
    list_select_related = ("program", "representative")
    search_fields = ("=application_public_id",)
    ordering = ("-removed_at",)
