"""The cross-form consistency registry: answers are read once and every check sees them."""

import pytest

from forms_imm import consistency
from forms_imm.consistency import Inconsistency, answers_for, find_inconsistencies
from forms_imm.models import FormSection
from tests.factories import make_application, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered():
    saved = list(consistency.CHECKS)
    yield consistency.CHECKS
    consistency.CHECKS[:] = saved


def _store(application, person, form, section, data):
    FormSection.objects.create(
        application=application, person=person, form=form, section=section, data=data, version=1
    )


def test_answers_hold_every_section_by_person_form_and_section():
    application = make_application()
    pa = application.principal_applicant
    spouse = make_person(application=application, relationship="01", given_names="Sam")
    _store(application, pa, "imm5669", "personal", {"native_name": "A"})
    _store(application, spouse, "imm5669", "personal", {"native_name": "B"})
    answers = answers_for(application)
    assert answers.principal == pa
    assert answers.section(pa, "imm5669", "personal") == {"native_name": "A"}
    assert answers.section(spouse, "imm5669", "personal") == {"native_name": "B"}
    assert answers.section(spouse, "imm5669", "history") == {}
    assert answers.has_form(spouse, "imm5669") and not answers.has_form(spouse, "imm5406")


def test_every_registered_check_runs_on_the_same_answers(registered, django_assert_num_queries):
    application = make_application()
    pa = application.principal_applicant
    _store(application, pa, "imm5669", "personal", {"native_name": ""})

    @consistency.register
    def native_name_missing(answers):
        if not answers.section(answers.principal, "imm5669", "personal").get("native_name"):
            return [
                Inconsistency("test.native", "missing", answers.principal, "imm5669", "personal")
            ]
        return []

    consistency.register(native_name_missing)  # registering twice keeps one
    people = [pa]
    with django_assert_num_queries(1):
        found = find_inconsistencies(application, people=people)
    assert [item.code for item in found] == ["test.native"]
    assert found[0].person == pa and found[0].section == "personal"
