"""Storage of the digital IMM forms: one row per (person, form, section).

Why one section store rather than one model per form (STYLE.md suggests ``Imm5669`` and so on):
the five forms have some forty sections, most of them repeating tables, and every section needs
the same things (a version for the optimistic check, a state for the task list, who saved it
and when). One table of JSON sections gives all of that once; the fields of each section are
declared by its Django forms (``forms_imm/imm5669.py`` and the like), which type-check
everything before it is stored. docs/forms.md explains the layout of ``data``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormSection(models.Model):
    """The answers of one section of one form for one person.

    ``data`` holds the section's fields by name, with JSON values only (text, numbers,
    booleans, ``None``, dates as ``YYYY-MM-DD``, months as ``YYYY-MM``); each repeating table
    is a list of row dicts under its name, in the order the user gave, each with a stable
    ``"id"`` (32 hex digits). ``version`` starts at 1 when the row is first saved (0 means
    "never saved") and goes up by one on every write (``forms_imm.services``).
    """

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")
        COMPLETE = "complete", _("Complete")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="form_sections"
    )
    person = models.ForeignKey(
        "applications.Person", on_delete=models.CASCADE, related_name="form_sections"
    )
    form = models.CharField(_("form"), max_length=20)  # "imm5669"
    section = models.CharField(_("section"), max_length=40)  # the section's slug
    data = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED
    )
    # What the strict check found when the section was last marked complete, for the task
    # list: {"count": n, "periods": [{"code", "rows", "params"}]} (no typed text, only codes,
    # row numbers and months).
    problems = models.JSONField(default=dict, blank=True)
    # Fields whose text is over its limit and continues in the annex: ["details",
    # "rows.3.activity", ...] (paths into ``data``, row numbers from 1).
    overflow = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "form", "section"], name="form_section_unique"
            ),
        ]
        indexes = [
            # sections_for() and the task list read every section of one application at once.
            models.Index(fields=["application", "person"], name="form_section_application"),
        ]

    def __str__(self):
        return f"{self.form}.{self.section}:{self.person_id}"

    @property
    def is_complete(self) -> bool:
        return self.state == self.State.COMPLETE
