"""IMM 5406: the family lists start from the profiles; the strict rules of forms.md §5."""

import pytest
import time_machine

from forms_imm.imm5406 import SECTIONS
from forms_imm.models import FormSection
from forms_imm.spec import SectionContext
from tests.forms_imm.family_helpers import (
    TODAY,
    family,
    family_post,
    relative,
    section_url,
    table_post,
)

pytestmark = pytest.mark.django_db
SECTION = {section.slug: section for section in SECTIONS}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(application_a):
    return family(application_a)


def post(client, application, person, slug, data, *, action="complete", version=0):
    body = {**data, "expected_version": str(version)}
    if action:
        body["action"] = action
    return client.post(section_url(application, person, slug, form="imm5406"), body)


def check(application, person, slug, post_data):
    context = SectionContext(application=application, person=person, today=TODAY)
    bound = SECTION[slug].bind(post_data, context=context, strict=True)
    bound.is_valid()
    return bound


def codes(bound) -> set[str]:
    found = set()
    for form in [bound.form, *[f for t in bound.tables.values() for f in t.forms]]:
        for errors in form.errors.as_data().values():
            found |= {error.code for error in errors}
    return found


def test_the_spouse_block_and_the_children_come_from_the_profiles(rep_a, application_a, people):
    body = rep_a.get(section_url(application_a, people["pa"], "family", form="imm5406"))
    text = body.content.decode()
    assert "Marie Roy" in text and "1987-08-09" in text
    assert "From the profile of Marie Roy" in text
    children = rep_a.get(section_url(application_a, people["pa"], "children", form="imm5406"))
    text = children.content.decode()
    assert "Luc Roy" in text and "2006-03-04" in text and 'value="Son"' in text


def test_a_dependent_child_gets_the_pa_and_spouse_as_parents(rep_a, application_a, people):
    text = rep_a.get(
        section_url(application_a, people["child"], "family", form="imm5406")
    ).content.decode()
    assert "Marie Roy" in text  # mother (F)
    assert "CANARY-A-Given CANARY-A-Family" in text  # father (M)


def test_a_posted_name_cannot_replace_the_profile_name(rep_a, application_a, people):
    data = family_post(spouse_full_name="Someone Else", spouse_date_of_birth="1990-01-01")
    response = post(rep_a, application_a, people["pa"], "family", data, action="save")
    assert response.status_code == 302
    stored = FormSection.objects.get(person=people["pa"], form="imm5406", section="family").data
    assert stored["spouse_full_name"] == "Marie Roy"
    assert stored["spouse_date_of_birth"] == "1987-08-09"
    assert stored["spouse_profile"] == str(people["spouse"].public_id)


def test_a_complete_section_a_passes(application_a, people):
    assert check(application_a, people["pa"], "family", family_post()).is_valid()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"mother_full_name": ""}, "required"),
        ({"mother_deceased": "on"}, "address_deceased"),
        (
            {"mother_deceased": "on", "mother_address": "", "mother_death_place": "Lyon"},
            "death_date",
        ),
        (
            {
                "mother_deceased": "on",
                "mother_address": "",
                "mother_death_place": "Lyon",
                "mother_death_date": "1940-01-01",
            },
            "death_before_birth",
        ),
        ({"mother_death_date": "2020-01-01"}, "death_not_deceased"),
        ({"mother_email": ""}, "email_required"),
        ({"mother_email": "not-an-email"}, "email_format"),
        ({"mother_email_unknown": "on"}, "email_and_unknown"),
        ({"mother_address": ""}, "address_required"),
        ({"father_date_of_birth": "1990-01-01"}, "parent_born_after_child"),
        ({"no_spouse": "on"}, "no_spouse_but_married"),
    ],
)
def test_section_a_rules(application_a, people, overrides, code):
    assert code in codes(check(application_a, people["pa"], "family", family_post(**overrides)))


def test_a_deceased_parent_with_place_and_date_passes(application_a, people):
    data = family_post(
        mother_deceased="on",
        mother_address="",
        mother_email="",
        mother_death_place="Lyon",
        mother_death_date="2010-05-06",
    )
    assert check(application_a, people["pa"], "family", data).is_valid()


def children_post(rows, **main):
    return {**main, **table_post("children", rows)}


def test_children_not_applicable_or_rows(application_a, people):
    child = people["child"]
    linked = relative("Son", profile=str(child.public_id), country_of_birth="Canada")
    assert check(application_a, people["pa"], "children", children_post([linked])).is_valid()
    assert "not_applicable_or_rows" in codes(
        check(application_a, people["pa"], "children", children_post([]))
    )
    assert "not_applicable_with_rows" in codes(
        check(application_a, people["pa"], "children", children_post([linked], not_applicable="on"))
    )


def test_a_child_born_before_the_applicant_is_refused(application_a, people):
    row = relative("Son", full_name="Old Son", date_of_birth="1980-01-01")
    assert "child_born_before_parent" in codes(
        check(application_a, people["pa"], "children", children_post([row]))
    )


def test_siblings_of_a_dependent_child_come_from_the_profiles(rep_a, application_a):
    people = family(application_a, minor=True)
    text = rep_a.get(
        section_url(application_a, people["child"], "siblings", form="imm5406")
    ).content.decode()
    assert "Zoé Roy" in text and 'value="Sister"' in text


def test_rows_can_be_added_removed_and_reordered(rep_a, application_a, people):
    rows = [relative("Daughter", full_name="A"), relative("Son", full_name="B")]
    data = children_post(rows, row_action="up:children:2")
    response = post(rep_a, application_a, people["pa"], "children", data, action=None)
    assert response.status_code == 302
    stored = FormSection.objects.get(person=people["pa"], form="imm5406", section="children")
    assert [row["full_name"] for row in stored.data["children"]] == ["B", "A"]
