"""Hostile text through every text field of every section of every digital form (issue 11
item 2, QUALITY.md §3): never a 5xx, kept whole (as the field normalises it), escaped when the
section page and the printable view render it back. Hypothesis then posts random values into
every field of a random section: never a 5xx, and a refused post stores nothing.

CI posts one string holding every hostile fragment (and the 100 KB text through IMM 5669, the
longest form); ``make test-deep`` posts each fragment on its own through every form.
"""

from __future__ import annotations

import os

import pytest
import time_machine
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications.models import Person
from forms_imm.forms import TextField, clean_text
from forms_imm.models import FormSection
from forms_imm.sections import FORMS
from tests.forms_imm.helpers import BORN, TODAY, print_url, section_url, table_post

pytestmark = pytest.mark.django_db

# The hostile corpus (QUALITY.md §3): markup, script, template syntax, SQL, CSV formulas, CRLF
# header injection, right-to-left and zero-width characters, URLs a renderer might fetch.
HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    '<img src="http://203.0.113.9/beacon.png"><link rel=stylesheet href="file:///etc/passwd">',
    "{{ request.user.email }} {% debug %}",
    "'; DROP TABLE forms_imm_formsection; --",
    "=cmd|' /C calc'!A0",
    "line\r\nSet-Cookie: evil=1\r\n\r\n<b>body</b>",
    "\u202eevil\u202c text \u200b zero\u200dwidth \ufeff",
    "Émilie Noël 🍁 ñ 中文",
]
COMBINED = " | ".join(HOSTILE)
HUNDRED_KB = ("<script>x</script> Émilie 🍁 " * 4000)[:100_000]
# What must never appear unescaped (the pages' own <script src=...> tags are fine).
RAW = (
    "<script>alert",
    "<script>x<",
    "<img src=x",
    '<img src="http',
    "<link rel=stylesheet",
    "<b>body",
)

SECTIONS = [section for form in FORMS.values() for section in form.sections]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def program_for(form_key: str):
    """A program in which the principal applicant needs ``form_key``."""
    from applications.models import Program

    if form_key == "imm5444":
        return Program.objects.filter(digital_forms=Program.DigitalForms.IMM5444).first()
    if form_key == "imm5562":
        return Program.objects.filter(imm5562_required=True).first()
    return Program.objects.get(code="family_spouse_partner_child")


def use_program(application, form_key: str):
    from applications.models import Application

    program = program_for(form_key)
    Application.objects.filter(pk=application.pk).update(program=program)
    application.refresh_from_db()


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN, marital_status="01")
    person.refresh_from_db()
    return person


def text_fields(form_class) -> dict[str, TextField]:
    return {n: f for n, f in form_class.base_fields.items() if isinstance(f, TextField)}


def hostile_post(section, value: str) -> dict[str, str]:
    """``value`` in every text field of the section and of one row of each of its tables."""
    data = dict.fromkeys(text_fields(section.edit_form), value)
    for table in section.tables:
        data.update(table_post(table.name, [dict.fromkeys(text_fields(table.edit_form), value)]))
    return data


def assert_escaped(body: str, where: str):
    for raw in RAW:
        assert raw not in body, f"{where}: unescaped {raw!r}"


def post_section(client, application, person, section, data: dict):
    url = section_url(application, person, section.slug, form=section.form)
    row = FormSection.objects.filter(person=person, form=section.form, section=section.slug).first()
    body = {**data, "expected_version": str(row.version if row else 0), "action": "save"}
    return url, client.post(url, body)


def check_stored(person, section, value: str):
    stored = FormSection.objects.get(person=person, form=section.form, section=section.slug).data
    for name, field in text_fields(section.edit_form).items():
        assert stored[name] == clean_text(value, multiline=field.multiline), (section.code, name)
    for table in section.tables:
        for name, field in text_fields(table.edit_form).items():
            expected = clean_text(value, multiline=field.multiline)
            assert stored[table.name][0][name] == expected, (section.code, table.name, name)


def run_through(client, application, person, forms, value: str):
    """``value`` through every text section of ``forms``; the page and print view escape it.
    Returns the forms reached."""
    reached = set()
    for section in SECTIONS:
        data = hostile_post(section, value)
        if section.form not in forms or not data:
            continue
        url, response = post_section(client, application, person, section, data)
        assert response.status_code in (302, 404), (section.code, response.status_code)
        if response.status_code == 404:  # a form this person does not need
            continue
        reached.add(section.form)
        check_stored(person, section, value)
        page = client.get(url)
        assert page.status_code == 200, section.code
        assert_escaped(page.content.decode(), section.code)
    for key in forms:
        printed = client.get(print_url(application, person, form=key))
        if printed.status_code == 404:
            continue
        assert printed.status_code == 200, key
        text = printed.content.decode()
        assert_escaped(text, f"{key} print")
        assert "rep-a@example.test" not in text  # template syntax stays text
    return reached


TEXT_FORMS = sorted({section.form for section in SECTIONS if hostile_post(section, "x")})


@pytest.mark.parametrize("form_key", TEXT_FORMS)
def test_the_combined_corpus_goes_through_every_section_of_every_form(
    rep_a, application_a, pa, form_key
):
    use_program(application_a, form_key)
    assert run_through(rep_a, application_a, pa, [form_key], COMBINED) == {form_key}


def test_a_100_kb_text_is_kept_whole_in_every_imm5669_field(rep_a, application_a, pa):
    assert run_through(rep_a, application_a, pa, ["imm5669"], HUNDRED_KB) == {"imm5669"}


@pytest.mark.deep
@pytest.mark.parametrize("form_key", TEXT_FORMS)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_each_hostile_fragment_through_every_form(rep_a, application_a, pa, value, form_key):
    use_program(application_a, form_key)
    assert run_through(rep_a, application_a, pa, [form_key], value) == {form_key}


# --- Hypothesis: random values in every field of a random section --------------------------

SECTION_KEYS = [(section.form, section.slug) for section in SECTIONS]
any_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(HOSTILE + ["", "2019-04", "1985-04-23", "True", "on", "-1", "99999999"])


def section_of(key):
    form, slug = key
    return FORMS[form].section(slug)


def field_names(section) -> list[str]:
    names = list(section.edit_form.base_fields)
    for table in section.tables:
        names += [f"{table.name}-0-{name}" for name in table.edit_form.base_fields]
    return names


# Each example is a real request (about 0.2 s): CI keeps to 30, make test-deep runs the profile's.
EXAMPLES = None if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 30


@hypothesis_settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    **({"max_examples": EXAMPLES} if EXAMPLES else {}),
)
@given(key=st.sampled_from(SECTION_KEYS), values=st.lists(any_text, min_size=1, max_size=40))
def test_random_posts_never_fail_and_a_refused_post_stores_nothing(
    rep_a, application_a, pa, key, values
):
    section = section_of(key)
    names = field_names(section)
    data = {name: values[index % len(values)] for index, name in enumerate(names)}
    for table in section.tables:
        data.update(
            {
                f"{table.name}-TOTAL_FORMS": "1",
                f"{table.name}-INITIAL_FORMS": "0",
                f"{table.name}-MIN_NUM_FORMS": "0",
                f"{table.name}-MAX_NUM_FORMS": "250",
            }
        )
    if application_a.program != program_for(section.form):
        use_program(application_a, section.form)
    before = FormSection.objects.filter(person=pa, form=section.form, section=section.slug)
    version = before.values_list("version", flat=True).first()
    _url, response = post_section(rep_a, application_a, pa, section, data)
    if response.status_code == 404:  # a section shown only to some people (a spouse's page)
        assert section.applies is not None, key
        return
    assert response.status_code in (200, 302), (key, response.status_code)
    after = before.values_list("version", flat=True).first()
    if response.status_code == 302 and after is not None:
        stored = FormSection.objects.get(person=pa, form=section.form, section=section.slug)
        bound = section.edit_form(data=_as_post(section, stored.data))
        assert bound.is_valid(), (key, bound.errors)  # what was saved reads back as valid
    else:
        assert after == version, "a refused post changed nothing"
        if response.status_code == 200:
            assert_escaped(response.content.decode(), section.code)


def _as_post(section, data: dict):
    from forms_imm.forms import stored_to_post

    return stored_to_post(section, data)
