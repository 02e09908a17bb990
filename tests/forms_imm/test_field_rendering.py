"""section_field renders every kind of field the forms use, with its label, hint, errors,
counter and aria-describedby, escaping every value (later forms add selects and countries)."""

import re

from django import forms
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from forms_imm import reference
from forms_imm.forms import FlagField, MonthField, SectionForm, TextField, YesNoField
from forms_imm.templatetags.forms_imm_tags import section_field


class SampleForm(SectionForm):
    form_key = "imm5669"
    activity = TextField(label="Activity", limit="history.activity", help_text="Name the job.")
    start = MonthField(label="From")
    present = FlagField(label="To present")
    answer = YesNoField(label="Detained?")
    province = forms.ChoiceField(
        label="Province", choices=[("", "Choose")] + reference.choices("province"), required=False
    )
    country = LazyTypedChoiceField(
        label="Country", choices=[("", "Choose")] + list(countries), required=False
    )
    email = forms.EmailField(label="Email", required=False)
    born = forms.DateField(
        label="Born", required=False, widget=forms.SelectDateWidget(years=[2000])
    )


def html(form, name, required=()):
    return str(section_field(form[name], required))


def test_a_limited_text_field_has_its_hint_counter_and_links():
    form = SampleForm(data={"activity": "x" * 25 + '<b>"'})
    form.is_valid()
    out = html(form, "activity", ("activity",))
    label = '<label class="form-label" for="id_activity">Activity <span class="required-marker">'
    assert label + "(required)</span></label>" in out
    assert 'aria-describedby="id_activity_helptext id_activity_counter"' in out
    assert "Up to 21 characters fit on the form" in out
    assert "29 / 21: the rest continues in the annex" in out
    assert "&lt;b&gt;&quot;" in out and "<b>" not in out


def test_errors_are_linked_and_marked():
    form = SampleForm(data={"start": "2019"})
    form.is_valid()
    out = html(form, "start")
    assert 'aria-invalid="true"' in out and "is-invalid" in out
    assert 'aria-describedby="id_start_helptext id_start_error"' in out
    assert "Error: Enter a month as YYYY-MM" in out
    assert 'value="2019"' in out  # what was typed stays


def test_radios_are_a_fieldset_with_a_legend():
    out = html(SampleForm(initial={"answer": False}), "answer")
    assert "<fieldset" in out and "<legend" in out and "Detained?" in out
    inputs = dict(
        re.findall(r'<input([^>]*id="(id_answer_\d)"[^>]*)>', out)[i][::-1] for i in (0, 1)
    )
    assert "checked" in inputs["id_answer_1"] and "checked" not in inputs["id_answer_0"]
    assert 'for="id_answer_1">No</label>' in out


def test_checkboxes_and_selects():
    form = SampleForm(initial={"present": True, "province": "QC", "country": "FR"})
    assert "checked" in html(form, "present")
    province = html(form, "province")
    assert province.startswith('<div class="form-field mb-3">') and "<select" in province
    assert 'class="form-select"' in province
    assert '<option value="QC" selected>' in province
    country = html(form, "country")
    assert '<option value="FR" selected>France</option>' in country


def test_other_widgets_fall_back_to_django_rendering():
    out = html(SampleForm(), "email")
    assert 'type="email"' in out
    born = html(SampleForm(), "born")
    assert "<select" in born and 'name="born_year"' in born and "None" not in born
