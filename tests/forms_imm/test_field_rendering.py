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


class ConditionalForm(SectionForm):
    form_key = "imm5669"
    detained = YesNoField(label="Detained?")
    where = TextField(label="Where")
    deceased = FlagField(label="Deceased")
    died_on = MonthField(label="Died in")
    province = forms.ChoiceField(
        label="Province", choices=[("", "Choose")] + reference.choices("province"), required=False
    )
    csq = TextField(label="CSQ")
    shown_when = {
        "where": ("detained", ("True",)),
        "died_on": ("deceased", ("on",)),
        "csq": ("province", ("QC",)),
    }


def test_a_conditional_field_is_always_in_the_page_and_names_its_question():
    form = ConditionalForm(prefix="s", initial={"detained": False})
    where = html(form, "where")
    # Shown without JavaScript: no `hidden`; the script hides it while the answer is not yes.
    assert where.startswith(
        '<div class="form-field mb-3" data-shown-values="True" data-shown-when="s-detained"'
        ' id="id_s-where_block">'
    )
    assert "hidden" not in where
    died_on = html(form, "died_on")
    assert 'data-shown-values="on" data-shown-when="s-deceased" id="id_s-died_on_block"' in died_on
    assert 'data-shown-values="QC"' in html(form, "csq")


def test_the_question_controls_the_fields_it_shows():
    form = ConditionalForm()
    radios = dict(re.findall(r'<input([^>]*id="(id_detained_\d)"[^>]*)>', html(form, "detained")))
    radios = {key: value for value, key in radios.items()}
    assert 'aria-controls="id_where_block"' in radios["id_detained_0"]  # Yes
    assert "aria-controls" not in radios["id_detained_1"]  # No shows nothing
    assert 'aria-controls="id_died_on_block"' in html(form, "deceased")
    assert 'aria-controls="id_csq_block"' in html(form, "province")
    # aria-expanded is the script's to set (on the checkbox only).
    assert "aria-expanded" not in html(form, "deceased")
    assert "aria-controls" not in html(SampleForm(), "answer")


def test_the_forms_declare_their_conditional_fields_on_real_questions():
    from forms_imm.sections import FORMS

    checked = 0
    for spec in FORMS.values():
        for section in spec.sections:
            form_class = section.edit_form
            for name, (question, answers) in form_class.shown_when.items():
                assert name in form_class.base_fields and question in form_class.base_fields
                assert answers and all(isinstance(answer, str) for answer in answers)
                checked += 1
    assert checked >= 20
