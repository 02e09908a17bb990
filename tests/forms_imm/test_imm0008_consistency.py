"""Cross-form checks involving IMM 0008 and the profiles (forms.md §7), and their task items."""

from datetime import date

import pytest
import time_machine

from applications.models import Person
from applications.tasks_list import application_task_list
from forms_imm import consistency
from forms_imm.consistency import find_inconsistencies
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm.helpers import BORN, TODAY, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def application():
    application = factories.make_application()
    Person.objects.filter(pk=application.principal_applicant.pk).update(
        date_of_birth=BORN, marital_status="01"
    )
    application.principal_applicant.refresh_from_db()
    return application


@pytest.fixture
def pa(application):
    return application.principal_applicant


@pytest.fixture
def spouse(application):
    return factories.make_person(
        application=application, relationship="10", given_names="Luc", marital_status="01"
    )


@pytest.fixture
def child(application):
    return factories.make_person(
        application=application, given_names="Zoé", date_of_birth=date(2016, 6, 1)
    )


def store(application, person, section, data, form="imm0008"):
    FormSection.objects.update_or_create(
        person=person,
        form=form,
        section=section,
        defaults={"application": application, "data": data, "version": 1},
    )


def codes(application):
    return {(found.code, found.key) for found in find_inconsistencies(application)}


def test_nothing_answered_means_nothing_inconsistent(application, pa, spouse, child):
    assert codes(application) == set()


def test_the_dependants_block_must_list_every_profile(application, pa, spouse, child):
    store(
        application,
        pa,
        "dependants",
        {"has_dependants": True, "dependants": [{"id": "a" * 32, "person": str(spouse.public_id)}]},
    )
    found = find_inconsistencies(application)
    assert [(f.code, f.key) for f in found] == [
        ("imm0008.dependant_not_listed", str(child.public_id))
    ]
    assert "Zoé" in str(found[0].message)
    assert (found[0].person, found[0].form, found[0].section) == (pa, "imm0008", "dependants")


def test_a_row_whose_profile_was_removed_is_flagged(application, pa, spouse):
    gone = factories.make_person(application=application, given_names="Gone")
    rows = [
        {"id": "a" * 32, "person": str(spouse.public_id)},
        {"id": "b" * 32, "person": str(gone.public_id)},
    ]
    store(application, pa, "dependants", {"has_dependants": True, "dependants": rows})
    gone.delete()
    assert codes(application) == {("imm0008.dependant_without_profile", "b" * 32)}


def test_dependants_yes_without_any_profile(application, pa):
    store(application, pa, "dependants", {"has_dependants": True, "dependants": []})
    assert codes(application) == {("imm0008.dependants_answer", "")}


def test_the_spouse_profile_must_share_the_marital_status(application, pa, spouse):
    assert codes(application) == set()
    Person.objects.filter(pk=spouse.pk).update(marital_status="02")
    found = find_inconsistencies(application)
    assert [f.code for f in found] == ["imm0008.spouse_marital_status"]
    assert found[0].person == spouse and found[0].form is None
    assert "Married" in str(found[0].message) and "Single" in str(found[0].message)


def test_the_marriage_dates_of_the_couple_agree(application, pa, spouse):
    store(application, pa, "marital", {"marriage_date": "2015-06-20"})
    store(application, spouse, "marital", {"marriage_date": "2015-06-20"})
    assert codes(application) == set()
    store(application, spouse, "marital", {"marriage_date": "2015-06-21"})
    assert codes(application) == {("imm0008.marriage_date", "")}


def test_other_forms_asking_the_marital_status_are_compared_with_the_profile(
    application, pa, monkeypatch
):
    monkeypatch.setattr(consistency, "MARITAL_STATUS_ANSWERS", [("imm5406", "family", "status")])
    monkeypatch.setattr(
        "forms_imm.imm0008.MARITAL_STATUS_ANSWERS", [("imm5406", "family", "status")]
    )
    store(application, pa, "family", {"status": "01"}, form="imm5406")
    assert codes(application) == set()
    store(application, pa, "family", {"status": "04"}, form="imm5406")
    assert codes(application) == {("marital_status.form_differs", f"{pa.public_id}:imm5406")}


@pytest.mark.parametrize(
    ("born", "status", "kind", "expected"),
    [
        (date(2016, 6, 1), "02", "01", False),
        (date(2000, 6, 1), "02", "01", True),  # 26: too old for Type A
        (date(2008, 6, 1), "01", "01", True),  # married
        (date(2008, 6, 1), "02", "02", True),  # Type B
        (date(2008, 6, 1), "02", "03", True),  # Type C under 22
        (date(2000, 6, 1), "02", "03", False),
    ],
)
def test_dependant_types_are_checked(application, pa, born, status, kind, expected):
    child = factories.make_person(
        application=application, date_of_birth=born, marital_status=status
    )
    row = {"id": "a" * 32, "person": str(child.public_id), "dependant_type": kind}
    store(application, pa, "dependants", {"has_dependants": True, "dependants": [row]})
    assert (("imm0008.dependant_type", str(child.public_id)) in codes(application)) is expected


def test_expired_documents_are_warned(application, pa, child):
    store(application, child, "passport", {"has_document": True, "expiry_date": "2026-11-20"})
    store(application, pa, "national-id", {"has_document": True, "expiry_date": "2026-12-01"})
    assert codes(application) == {("imm0008.passport_expired", str(child.public_id))}


def test_imm5669_current_address_and_activity_match_imm0008(application, pa):
    store(
        application,
        pa,
        "contact",
        {"residential_same": True, "mailing_city": "Ottawa", "mailing_postal_code": "K1A 0B1"},
    )
    store(application, pa, "education", {"current_occupation": "Software developer"})
    address = {"present": True, "city": "ottawa", "postal_code": "k1a0b1"}
    store(application, pa, "addresses", {"addresses": [address]}, form="imm5669")
    history = {"present": True, "activity": "software  Developer"}
    store(application, pa, "history", {"history": [history]}, form="imm5669")
    assert codes(application) == set()
    store(application, pa, "addresses", {"addresses": [{**address, "city": "Gatineau"}]}, "imm5669")
    store(application, pa, "history", {"history": [{**history, "activity": "Baker"}]}, "imm5669")
    assert codes(application) == {
        ("imm0008.address_differs", ""),
        ("imm0008.occupation_differs", str(pa.public_id)),
    }


def test_the_task_list_shows_each_inconsistency_with_a_link_to_fix(application, pa, spouse, child):
    Person.objects.filter(pk=spouse.pk).update(marital_status="02")
    store(application, pa, "dependants", {"has_dependants": True, "dependants": []})
    tasks = {t.code: t for t in application_task_list(application)}
    marital = tasks["consistency:imm0008.spouse_marital_status:"]
    assert marital.kind == "check" and not marital.required and not marital.done
    assert marital.url.endswith(f"/people/{spouse.public_id}/")
    missing = tasks[f"consistency:imm0008.dependant_not_listed:{child.public_id}"]
    assert missing.url == section_url(application, pa, "dependants", form="imm0008")


def test_blocking_inconsistencies_are_counted(application, pa, monkeypatch):
    def blocking(answers):
        return [consistency.Inconsistency("test.blocking", "Fix me", pa, blocking=True)]

    monkeypatch.setattr(consistency, "CHECKS", [blocking])
    task = next(t for t in application_task_list(application) if t.code.startswith("consistency:"))
    assert task.required and task.url.endswith(f"/people/{pa.public_id}/")


def test_the_progress_refresh_leaves_the_checks_out(application, pa, monkeypatch):
    def explode(answers):
        raise AssertionError("the save path must not run the cross-form checks")

    monkeypatch.setattr(consistency, "CHECKS", [explode])
    tasks = application_task_list(application, with_consistency=False)
    assert not any(t.code.startswith("consistency:") for t in tasks)
    tasks = application_task_list(application, section_rows=[])
    assert not any(t.code.startswith("consistency:") for t in tasks)
