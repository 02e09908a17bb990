"""Retention of abandoned drafts (QUALITY.md §6; docs/operations.md, "Retention"): the warning
given for each idle period and the record of each draft removed. No personal data: IDs,
dates and counts only."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionNotice(models.Model):
    """The representative was warned that a draft will be removed. One per idle period: a
    change to the draft moves its ``updated_at``, so the next period needs a new notice."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="retention_notices"
    )
    last_change_at = models.DateTimeField(_("last change"))  # the draft's updated_at then
    warned_at = models.DateTimeField(_("warned at"), default=timezone.now)
    removal_due_at = models.DateTimeField(_("removal due"))

    class Meta:
        verbose_name = _("retention warning")
        verbose_name_plural = _("retention warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "last_change_at"], name="retention_one_notice_per_period"
            ),
        ]

    def __str__(self):
        return f"retention warning {self.pk}"


class RemovedDraft(models.Model):
    """What the retention job removed: enough to answer "where did that draft go?"."""

    application_public_id = models.UUIDField(_("application ID"), unique=True)
    program = models.ForeignKey(
        "applications.Program",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("program"),
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representative"),
    )
    status = models.CharField(_("status"), max_length=30)
    created_at = models.DateTimeField(_("created at"))
    last_change_at = models.DateTimeField(_("last change"))
    warned_at = models.DateTimeField(_("warned at"))
    removed_at = models.DateTimeField(_("removed at"), default=timezone.now)
    people = models.PositiveIntegerField(_("profiles"))
    form_sections = models.PositiveIntegerField(_("form sections"))
    documents = models.PositiveIntegerField(_("documents"))
    files = models.PositiveIntegerField(_("stored files"))
    file_bytes = models.PositiveBigIntegerField(_("bytes of files"))

    class Meta:
        ordering = ("-removed_at",)
        verbose_name = _("removed draft")
        verbose_name_plural = _("removed drafts")

    def __str__(self):
        return str(self.application_public_id)
