"""Rendering helpers for section pages: one field with its hint, errors and live counter.

``section_field`` writes the field's HTML in Python (``format_html``, so every value is
escaped) rather than through Django's widget templates: a history of 100 rows has 800 fields,
and template rendering per field made such a page several times slower.
"""

from django import forms, template
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


def _errors_html(error_id, errors):
    if not errors:
        return ""
    prefix = _("Error:")
    return format_html(
        '<div class="invalid-feedback d-block" id="{}">{}</div>',
        error_id,
        format_html_join(
            "", '<span class="d-block">{} {}</span>', ((prefix, error) for error in errors)
        ),
    )


def _help_html(help_id, help_text):
    if not help_text:
        return ""
    return format_html('<div class="form-text" id="{}">{}</div>', help_id, help_text)


def _required_html(required):
    if not required:
        return ""
    return format_html(' <span class="required-marker">{}</span>', _("(required)"))


def _options_html(choices, selected: str):
    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            parts.append(
                format_html(
                    '<optgroup label="{}">{}</optgroup>', value, _options_html(label, selected)
                )
            )
        else:
            value = "" if value is None else str(value)
            parts.append(
                format_html(
                    "<option{}>{}</option>",
                    flatatt({"value": value, "selected": value == selected}),
                    label,
                )
            )
    return format_html_join("", "{}", ((part,) for part in parts))


def _widget_html(bound_field, extra):
    """The input itself. Text inputs, text areas, checkboxes and single selects are written
    here; any other widget goes through Django's own rendering."""
    widget = bound_field.field.widget
    attrs = {**widget.attrs, **extra, "name": bound_field.html_name, "id": bound_field.auto_id}
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        attrs.update(type="checkbox", checked=bool(widget.check_test(value)))
        return format_html("<input{}>", flatatt(attrs))
    if isinstance(widget, forms.Textarea):
        text = widget.format_value(value) or ""
        return format_html("<textarea{}>\n{}</textarea>", flatatt(attrs), text)
    if type(widget) is forms.Select:
        attrs["class"] = attrs.get("class", "").replace("form-control", "form-select")
        selected = "" if value is None else str(value)
        return format_html(
            "<select{}>{}</select>",
            flatatt(attrs),
            _options_html(bound_field.field.choices, selected),
        )
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        attrs["type"] = widget.input_type
        formatted = widget.format_value(value)
        if formatted is not None and formatted != "":
            attrs["value"] = formatted
        return format_html("<input{}>", flatatt(attrs))
    return bound_field.as_widget(attrs={k: v for k, v in extra.items() if v is not None})


def _block_id(bound_field) -> str:
    return f"{bound_field.auto_id}_block"


def _shown_when_attrs(bound_field) -> dict:
    """The wrapper's attributes when the field shows only for some answers to another
    question (``SectionForm.shown_when``): static/js/conditional_fields.js reads them."""
    rule = getattr(bound_field.form, "shown_when", {}).get(bound_field.name)
    if rule is None:
        return {}
    controller, values = rule
    return {
        "id": _block_id(bound_field),
        "data-shown-when": bound_field.form.add_prefix(controller),
        "data-shown-values": " ".join(values),
    }


def _controls(bound_field, value=None) -> str | None:
    """``aria-controls`` of a question other fields depend on: the blocks that the answer
    ``value`` shows (a radio button), or every block it decides (a checkbox or a select)."""
    form = bound_field.form
    ids = [
        _block_id(form[name])
        for name, (controller, values) in getattr(form, "shown_when", {}).items()
        if controller == bound_field.name and (value is None or value in values)
    ]
    return " ".join(ids) or None


def _radios_html(bound_field):
    field = bound_field.field
    current = bound_field.value()
    current = "" if current is None else str(current)
    options = []
    for index, (value, label) in enumerate(field.choices):
        option_id = f"{bound_field.auto_id}_{index}"
        attrs = {
            "type": "radio",
            "name": bound_field.html_name,
            "value": value,
            "id": option_id,
            "class": "form-check-input",
            "checked": current == str(value),
            "aria-controls": _controls(bound_field, str(value)),
        }
        options.append((flatatt(attrs), option_id, label))
    return format_html_join(
        "\n",
        '<div class="form-check"><input{}><label class="form-check-label" for="{}">{}</label>'
        "</div>",
        options,
    )


@register.simple_tag
def section_field(bound_field, required_names=()):
    """A field with its label, "(required)" marker, hint, errors and character counter, all
    linked to the input through ``aria-describedby``."""
    field = bound_field.field
    widget = field.widget
    if widget.is_hidden:
        return _widget_html(bound_field, {})
    auto_id = bound_field.auto_id
    errors = list(bound_field.errors) if bound_field.form.is_bound else []
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    limit = getattr(field, "max_chars", None)
    ids = {
        "help": f"{auto_id}_helptext" if field.help_text else "",
        "error": f"{auto_id}_error" if errors else "",
        "counter": f"{auto_id}_counter" if limit and not is_checkbox else "",
    }
    describedby = " ".join(value for value in ids.values() if value) or None
    required = _required_html(bound_field.name in required_names)
    help_html = _help_html(ids["help"], field.help_text)
    errors_html = _errors_html(ids["error"], errors)
    shown = _shown_when_attrs(bound_field)

    if isinstance(widget, forms.RadioSelect):
        return format_html(
            '<fieldset class="form-field mb-3{}"{}><legend class="form-label fs-6 mb-1">{}{}'
            '</legend>{}{}<div class="d-flex flex-wrap gap-4">{}</div></fieldset>',
            " has-error" if errors else "",
            flatatt({"aria-describedby": describedby, **shown}),
            bound_field.label,
            required,
            help_html,
            errors_html,
            _radios_html(bound_field),
        )

    css = f"{widget.attrs.get('class', '')} {'form-check-input' if is_checkbox else 'form-control'}"
    extra = {
        "class": (css + (" is-invalid" if errors else "")).strip(),
        "aria-describedby": describedby,
        "aria-invalid": "true" if errors else None,
        "aria-controls": _controls(bound_field),
    }
    widget_html = _widget_html(bound_field, extra)
    if is_checkbox:
        return format_html(
            '<div class="form-check form-field mb-3"{}>{}<label class="form-check-label" for="{}">'
            "{}</label>{}{}</div>",
            flatatt(shown),
            widget_html,
            auto_id,
            bound_field.label,
            help_html,
            errors_html,
        )
    counter = ""
    if limit:
        value = bound_field.value()
        length = len(value) if isinstance(value, str) else 0
        if length > limit:
            text = _("%(count)s / %(limit)s: the rest continues in the annex") % {
                "count": length,
                "limit": limit,
            }
        else:
            text = f"{length} / {limit}"
        counter = format_html(
            '<div class="char-counter{}" id="{}" data-counter-for="{}" data-limit="{}">{}</div>',
            " over-limit" if length > limit else "",
            ids["counter"],
            auto_id,
            limit,
            text,
        )
    return format_html(
        '<div class="form-field mb-3"{}><label class="form-label" for="{}">{}{}</label>{}{}{}{}'
        "</div>",
        flatatt(shown),
        auto_id,
        bound_field.label,
        required,
        help_html,
        errors_html,
        widget_html,
        counter,
    )


@register.filter
def field_width(bound_field) -> str:
    """Bootstrap grid classes for a field inside a table row."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.Textarea):
        return "col-12"
    if isinstance(widget, forms.CheckboxInput):
        return "col-sm-6 col-lg-3 align-self-center"
    if "month-input" in widget.attrs.get("class", ""):
        return "col-sm-6 col-lg-3"
    return "col-md-6"


@register.filter
def answer(value) -> str:
    """A stored answer as text for the conflict page."""
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if value in (None, ""):
        return _("(empty)")
    return str(value)
