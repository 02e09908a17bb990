"""Building blocks of the section forms (docs/forms.md).

Every section has two forms built from one base (STYLE.md §6):

- the **Edit** form (``SectionForm`` subclass): every field optional, still type-checked, so a
  draft saves at any point and garbage never does. Length never refuses a save: free text over
  its limit is kept whole and continues in the annex (forms.md §2.8);
- the **Submit** form (``class XSubmitForm(StrictMixin, XEditForm)``): the fields named in
  ``required_fields`` become required and ``clean_strict()`` adds the conditional and
  cross-field rules. It runs when a section is marked complete and again at submission.

Repeating tables are formsets of ``RowForm`` (``table_formset``); their whole-table rules (the
gap checker, for example) are the ``check`` of their ``spec.TableSpec``.

Stored values are JSON only: ``to_data()`` turns cleaned values into text, numbers, booleans
and ``None`` (dates ``YYYY-MM-DD``, months ``YYYY-MM``); ``stored_to_post()`` turns them back
into what a browser would post, so the strict check of stored data runs the very same forms.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import limits
from .periods import Month

MAX_ROWS = 250  # far above any real history; keeps a hostile post from building huge pages
ROW_ID_RE = re.compile(r"^[0-9a-f]{32}$")
YES_NO = [("True", _("Yes")), ("False", _("No"))]

MONTH_HINT = _("Format: YYYY-MM, for example 2019-04.")
DATE_HINT = _("Format: YYYY-MM-DD, for example 1985-04-23.")
REQUIRED_MESSAGE = _("Answer this to complete the section.")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """NFC, trimmed; single-line text gets its whitespace runs collapsed to one space."""
    text = unicodedata.normalize("NFC", value or "")
    if multiline:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    return re.sub(r"\s+", " ", text).strip()


# --- fields -----------------------------------------------------------------------------------


class TextField(forms.CharField):
    """Free text whose character limit is data (``limits.json``), never a refusal.

    ``limit`` names the limit's field key (``"history.activity"``); the form looks it up for
    its ``form_key`` and puts the number in the hint and in ``data-max-length`` for the live
    counter (static/js/char_counter.js). Over the limit the text is kept whole.
    """

    def __init__(self, *, limit: str = "", multiline: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(strip=True, **kwargs)
        self.limit_key = limit
        self.multiline = multiline
        self.max_chars: int | None = None

    def to_python(self, value):
        return clean_text(super().to_python(value), multiline=self.multiline)


class CodeField(forms.CharField):
    """A code (postal code, document number): format-checked, its length a hard limit."""

    def __init__(self, *, limit: str = "", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)
        self.limit_key = limit
        self.max_chars: int | None = None
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        return clean_text(super().to_python(value)).upper()

    def validate(self, value):
        super().validate(value)
        if value and self.max_chars and len(value) > self.max_chars:
            raise forms.ValidationError(
                _("Use at most %(limit)s characters (this has %(count)s)."),
                code="code_too_long",
                params={"limit": self.max_chars, "count": len(value)},
            )


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (or YYYY/MM, as in the real portal); stored as ``YYYY-MM``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", MONTH_HINT)
        super().__init__(strip=True, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "size": "8", "class": "month-input"}
        )

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return ""
        try:
            month = Month.parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM, for example 2019-04."), code="month_format"
            ) from None
        if not 1900 <= month.year <= 2100:
            raise forms.ValidationError(
                _("Check the year: it should be between 1900 and 2100."), code="month_year"
            )
        return month.isoformat()


class FullDateField(forms.DateField):
    """A full date typed as YYYY-MM-DD (or YYYY/MM/DD); stored as ``YYYY-MM-DD``."""

    def __init__(self, *, past_only: bool = True, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(
            input_formats=["%Y-%m-%d", "%Y/%m/%d"],
            error_messages={
                "invalid": _("Enter a real date as YYYY-MM-DD, for example 1985-04-23."),
            },
            **kwargs,
        )
        self.past_only = past_only
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "size": "11"})

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value.year < 1850:
            raise forms.ValidationError(
                _("Check the year: the date is before 1850."), code="date_too_early"
            )
        if self.past_only and value > timezone.localdate():
            raise forms.ValidationError(_("This date cannot be in the future."), code="future_date")


class YearsField(forms.IntegerField):
    """A number of years, 0 to ``max_value`` (IMM 5669 education: 0-20)."""

    def __init__(self, *, max_value: int = 20, **kwargs):
        kwargs.setdefault("required", False)
        message = _("Enter a whole number of years from 0 to %(max)s.") % {"max": max_value}
        super().__init__(
            min_value=0,
            max_value=max_value,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "numeric", "size": "3"})
        self.widget.input_type = "text"


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "True",
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={"required": _("Answer yes or no.")},
            **kwargs,
        )


class FlagField(forms.BooleanField):
    """A checkbox, such as "None" (forms.md §2.6) or "to present"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


# --- forms ------------------------------------------------------------------------------------


class Fieldset:
    """A group of fields shown under one legend (a parent's block, the background questions)."""

    def __init__(self, legend, fields, *, intro=None):
        self.legend = legend
        self.fields = tuple(fields)
        self.intro = intro


class SectionForm(forms.Form):
    """Base of every Edit form (and, through ``StrictMixin``, every Submit form).

    Class attributes: ``form_key`` (``"imm5669"``, for the limits); ``fieldsets`` (optional
    grouping for the page and the print view). ``self.context`` is the ``spec.SectionContext``
    (person, application, today); ``self.tables`` holds the cleaned rows of the section's tables
    by name (``None`` for a table with errors) and ``self.table_sizes`` their number of rows,
    while ``clean()`` runs.
    """

    form_key = ""
    fieldsets: tuple[Fieldset, ...] = ()
    # Fields that apply only for some answers to another question of the same form, as
    # ``{field: (question, (answers that show it))}``, answers as the browser posts them
    # ("True" for yes, "on" for a ticked checkbox, a choice's code). With JavaScript the page
    # hides such a field while the answer is another one (static/js/conditional_fields.js);
    # without it every field shows. The strict rules stay in ``clean_strict()``.
    shown_when: dict[str, tuple[str, tuple[str, ...]]] = {}
    required_fields: tuple[str, ...] = ()
    use_required_attribute = False
    strict = False

    def __init__(self, *args, context=None, **kwargs):
        _prepare_class(type(self))
        super().__init__(*args, **kwargs)
        self.context = context
        self.tables: dict[str, list[dict] | None] = {}
        self.table_sizes: dict[str, int] = {}

    def to_data(self) -> dict:
        """The cleaned values as JSON values, every declared field present."""
        return {name: _json_value(self.cleaned_data.get(name)) for name in self.fields}

    @classmethod
    def limit_of(cls, name: str) -> limits.Limit | None:
        key = getattr(cls.base_fields[name], "limit_key", "")
        return limits.get_limit(cls.form_key, key) if key else None


class RowForm(SectionForm):
    """One row of a repeating table. ``id`` is the row's stable identifier (32 hex digits)."""

    id = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_id(self):
        value = (self.cleaned_data.get("id") or "").strip().lower()
        return value if ROW_ID_RE.match(value) else ""


class StrictMixin:
    """Makes an Edit form strict: ``required_fields`` required, then ``clean_strict()``."""

    strict = True
    required_messages: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            field = self.fields[name]
            field.required = True
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
            elif not isinstance(field, YesNoField):
                field.error_messages["required"] = REQUIRED_MESSAGE

    def clean(self):
        cleaned = super().clean()
        self.clean_strict(cleaned)
        return cleaned

    def clean_strict(self, cleaned: dict) -> None:
        """Conditional and cross-field rules: call ``self.add_error(field, ValidationError)``."""


def _limit_hint(max_length: int, annex_allowed: bool) -> str:
    if annex_allowed:
        return gettext(
            "Up to %(limit)s characters fit on the form; anything longer continues in an annex."
        ) % {"limit": max_length}
    return gettext("At most %(limit)s characters.") % {"limit": max_length}


_lazy_limit_hint = lazy(_limit_hint, str)


def _prepare_class(form_class) -> None:
    """Once per form class: the limits from limits.json on its fields (hint, counter data)."""
    if form_class.__dict__.get("_prepared"):
        return
    for field in form_class.base_fields.values():
        _apply_limit(form_class.form_key, field)
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
    form_class._prepared = True


def _apply_limit(form_key: str, field) -> None:
    key = getattr(field, "limit_key", "")
    if not key or getattr(field, "limit_applied", False):
        return  # an Edit form and its Submit form share their field objects
    field.limit_applied = True
    limit = limits.get_limit(form_key, key)
    if limit is None or not limit.max_length:
        return
    field.max_chars = limit.max_length
    field.widget.attrs["data-max-length"] = str(limit.max_length)
    # Lazy: the class is shared by every request, whatever its language.
    hint = _lazy_limit_hint(limit.max_length, limit.annex_allowed)
    field.help_text = format_lazy("{} {}", field.help_text, hint) if field.help_text else hint


def _json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- tables -----------------------------------------------------------------------------------


class TableFormSet(forms.BaseFormSet):
    """The rows of one table. Every row is validated (no silently skipped blank row).

    ``self.problems`` lists the whole-table problems of a strict check as ``(message, row)``
    (``row`` is the 1-based row to fix, or ``None``); ``self.period_problems`` keeps the
    ``periods.Problem`` objects for the task list.
    """

    spec = None  # the TableSpec, set by table_formset()
    strict = False

    def __init__(self, *args, context=None, **kwargs):
        self.context = context
        self.problems: list[tuple[str, int | None]] = []
        self.period_problems: list = []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"context": self.context, "empty_permitted": False}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            context=self.context,
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        if not self.strict or self.spec is None or self.spec.check is None:
            return
        if any(form.errors for form in self.forms):
            return  # row problems first: a typo must not also show up as a gap
        found = self.spec.check(self.rows(), self.context)
        self.period_problems = list(found)
        self.problems = [(problem.message, _row_to_fix(problem)) for problem in found]
        if found:
            raise forms.ValidationError([message for message, _row in self.problems])

    def rows(self) -> list[dict]:
        """The cleaned rows in the posted order, each with a unique ``id``."""
        seen: set[str] = set()
        rows = []
        for form in self.forms:
            row = form.to_data()
            if not row.get("id") or row["id"] in seen:
                row["id"] = uuid.uuid4().hex
            seen.add(row["id"])
            rows.append(row)
        return rows


def _row_to_fix(problem) -> int | None:
    fix = getattr(problem, "fix_row", None)
    if fix is not None:
        return fix
    return problem.rows[0] if problem.rows else None


def table_formset(spec, *, strict: bool) -> type[TableFormSet]:
    return forms.formset_factory(
        spec.submit_form if strict else spec.edit_form,
        formset=type(
            f"{spec.name.title()}{'Submit' if strict else 'Edit'}FormSet",
            (TableFormSet,),
            {"spec": spec, "strict": strict},
        ),
        extra=0,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )


# --- stored data back to a post ----------------------------------------------------------------


def _post_value(field, value) -> str | None:
    """What a browser posts for ``value`` (``None``: nothing, as for an unticked checkbox)."""
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def form_post(form_class, data: dict, *, prefix: str = "") -> dict[str, str]:
    values = {}
    for name, field in form_class.base_fields.items():
        posted = _post_value(field, data.get(name))
        if posted is not None:
            values[f"{prefix}-{name}" if prefix else name] = posted
    return values


def stored_to_post(section, data: dict) -> QueryDict:
    """What the section's page would post to store ``data`` (for the strict check of stored
    answers and the conflict page)."""
    post = QueryDict(mutable=True)
    post.update(form_post(section.edit_form, data))
    for table in section.tables:
        rows = data.get(table.name) or []
        post.update(
            {
                f"{table.name}-TOTAL_FORMS": str(len(rows)),
                f"{table.name}-INITIAL_FORMS": "0",
                f"{table.name}-MIN_NUM_FORMS": "0",
                f"{table.name}-MAX_NUM_FORMS": str(MAX_ROWS),
            }
        )
        for index, row in enumerate(rows):
            post.update(form_post(table.edit_form, row, prefix=f"{table.name}-{index}"))
    return post
