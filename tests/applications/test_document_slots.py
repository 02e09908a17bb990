"""Checklist slots from the program's data and the people on the application; their states and
problems; the file-name convention; the slots' items in the task list."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.documents import (
    ADDITIONAL_CODE,
    SlotState,
    convention_name,
    document_name_for,
    document_slots,
    find_slot,
    imm5476_date_problem,
    people_for_roles,
    slot_key,
)
from applications.models import ChecklistItem, Document, Person
from applications.tasks_list import application_task_list, progress
from tests import factories
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen():
    noon = datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("America/Toronto"))
    with time_machine.travel(noon, tick=False):
        yield


@pytest.fixture
def family(application_a):
    """PA, spouse, a child of 19, a child of 10 and a grandchild of 1."""
    people = {
        "pa": application_a.principal_applicant,
        "spouse": factories.make_person(
            application=application_a, relationship="10", date_of_birth=date(1990, 1, 1)
        ),
        "adult_child": factories.make_person(
            application=application_a, relationship="02", date_of_birth=date(2007, 6, 1)
        ),
        "child": factories.make_person(
            application=application_a, relationship="02", date_of_birth=date(2016, 6, 1)
        ),
        "grandchild": factories.make_person(
            application=application_a, relationship="04", date_of_birth=date(2025, 6, 1)
        ),
    }
    return people


def keys_for(slots, code):
    return {slot.key for slot in slots if slot.item and slot.item.code == code}


def test_per_person_items_get_one_slot_per_person_in_their_role(application_a, family):
    slots = document_slots(application_a)
    everyone = {slot_key("passport", p) for p in family.values()}
    assert keys_for(slots, "passport") == everyone  # pa + every dependant
    assert keys_for(slots, "police_certificates") == {
        slot_key("police_certificates", family[name]) for name in ("pa", "spouse", "adult_child")
    }  # pa, spouse, d18
    assert keys_for(slots, "imm5476_d18") == {slot_key("imm5476_d18", family["adult_child"])}
    assert keys_for(slots, "custody_adoption_documents") == {
        slot_key("custody_adoption_documents", family[name])
        for name in ("spouse", "adult_child", "child", "grandchild")
    }


def test_sponsor_and_application_items_get_one_application_slot(application_a, family):
    slots = document_slots(application_a)
    # IMM 1344 is asked of the sponsor, the co-signer and the PA: one form, one slot.
    (imm1344,) = [slot for slot in slots if slot.item and slot.item.code == "imm1344"]
    assert imm1344.key == "imm1344" and imm1344.person is None
    assert imm1344.wet_signature and "sponsor" in imm1344.signers
    assert keys_for(slots, "fee_receipt") == {"fee_receipt"}
    assert find_slot(slots, ADDITIONAL_CODE).requirement == "optional"


def test_slots_carry_the_checklist_facts_and_come_grouped_in_person_order(application_a, family):
    slots = document_slots(application_a)
    pa_photo = find_slot(slots, slot_key("photo", family["pa"]))
    assert pa_photo.is_photo and pa_photo.allowed_kinds == {"jpeg", "png"}
    assert pa_photo.guide == "IMM 5289" and pa_photo.requirement == "required"
    civil = find_slot(slots, slot_key("civil_status_documents", family["pa"]))
    assert civil.is_conditional and "civil-status" in civil.condition
    imm5476 = find_slot(slots, slot_key("imm5476", family["pa"]))
    assert imm5476.is_imm5476 and imm5476.wet_signature and imm5476.allowed_kinds == {"pdf"}
    owners = [slot.person for slot in slots]
    order = [None, *family.values()]
    positions = [order.index(owner) for owner in owners]
    assert positions == sorted(positions)


def test_role_mapping_for_children_under_18_and_unknown_ages():
    pa = Person(role="pa", family_name="A")
    young = Person(role="dependent_child", family_name="B", date_of_birth=date(2015, 1, 1))
    old = Person(role="grandchild", family_name="C", date_of_birth=date(2000, 1, 1))
    unknown = Person(role="dependent_child", family_name="D")
    people = [pa, young, old, unknown]
    assert people_for_roles(["child"], people, TODAY) == [young]
    assert people_for_roles(["d18"], people, TODAY) == [old]
    assert people_for_roles(["dependant"], people, TODAY) == [young, old, unknown]
    assert people_for_roles(["cosigner"], people, TODAY) == [None]
    assert people_for_roles([], people, TODAY) == [None]


def test_states_missing_uploaded_and_needs_attention(application_a):
    pa = application_a.principal_applicant
    factories.make_document(application=application_a, person=pa, item_code="passport")
    factories.make_document(
        application=application_a,
        person=pa,
        item_code="imm5476",
        content=corpus.pdf_bytes(corpus.new_pdf(2)),
        signature_date=TODAY - timedelta(days=91),
        signed_by_hand_confirmed=True,
    )
    slots = document_slots(application_a)
    assert find_slot(slots, slot_key("photo", pa)).state == SlotState.MISSING
    assert find_slot(slots, slot_key("passport", pa)).state == SlotState.UPLOADED
    imm5476 = find_slot(slots, slot_key("imm5476", pa))
    assert imm5476.state == SlotState.NEEDS_ATTENTION
    assert [p.code for p in imm5476.problems] == ["signature_stale"]
    assert not imm5476.done


@pytest.mark.parametrize(
    ("signed", "expected"),
    [
        (TODAY, None),
        (TODAY - timedelta(days=90), None),
        (TODAY - timedelta(days=91), "signature_stale"),
        (TODAY + timedelta(days=1), "signature_future"),
        (None, None),
    ],
)
def test_imm5476_is_stale_after_90_days_and_never_post_dated(signed, expected):
    assert imm5476_date_problem(signed, TODAY) == expected


def test_a_form_flagged_for_scripts_needs_attention_but_is_not_blocking(application_a):
    pa = application_a.principal_applicant
    factories.make_document(
        application=application_a,
        person=pa,
        item_code="imm5475",
        content=corpus.pdf_with(corpus._open_action_js),
    )
    slot = find_slot(document_slots(application_a), slot_key("imm5475", pa))
    assert slot.state == SlotState.NEEDS_ATTENTION
    assert [(p.code, p.blocking) for p in slot.problems] == [("pdf_active_content", False)]
    assert slot.done


def test_an_older_form_version_than_configured_is_flagged(application_a):
    pa = application_a.principal_applicant
    ChecklistItem.objects.filter(program=application_a.program, code="imm5475").update(
        current_version_date=date(2025, 1, 1)
    )
    factories.make_document(
        application=application_a,
        person=pa,
        item_code="imm5475",
        form_version_date=date(2019, 5, 1),
    )
    slot = find_slot(document_slots(application_a), slot_key("imm5475", pa))
    (problem,) = slot.problems
    assert problem.code == "form_version_old" and "2019-05-01" in str(problem.message)


def test_the_same_file_in_two_slots_is_flagged_in_both(application_a):
    pa = application_a.principal_applicant
    factories.make_document(application=application_a, person=pa, item_code="passport")
    factories.make_document(application=application_a, person=pa, item_code="identity_documents")
    slots = document_slots(application_a)
    for code in ("passport", "identity_documents"):
        problems = find_slot(slots, slot_key(code, pa)).problems
        assert [p.code for p in problems] == ["duplicate"]


def test_uploads_for_items_no_longer_asked_for_are_kept_and_flagged(application_a):
    pa = application_a.principal_applicant
    document = factories.make_document(application=application_a, person=pa, item_code="imm5475")
    ChecklistItem.objects.filter(program=application_a.program, code="imm5475").update(
        is_active=False
    )
    slots = document_slots(application_a)
    slot = find_slot(slots, document.slot_key)
    assert slot.no_longer_applies and slot.current == document
    assert [p.code for p in slot.problems] == ["no_longer_applies"]
    assert slot.state == SlotState.NEEDS_ATTENTION
    assert slot.requirement == "optional"
    assert slot is slots[-1]


def test_a_removed_persons_uploads_stay_and_no_longer_apply(application_a):
    spouse = factories.make_person(application=application_a, relationship="10")
    document = factories.make_document(application=application_a, person=spouse)
    spouse.delete()
    document.refresh_from_db()
    assert document.person is None and document.state == Document.State.CURRENT
    slot = find_slot(document_slots(application_a), document.slot_key)
    assert slot.no_longer_applies


def test_history_keeps_replaced_versions_newest_first(application_a):
    pa = application_a.principal_applicant
    old = factories.make_document(
        application=application_a, person=pa, state=Document.State.REPLACED
    )
    older = factories.make_document(
        application=application_a, person=pa, state=Document.State.DELETED
    )
    current = factories.make_document(application=application_a, person=pa)
    slot = find_slot(document_slots(application_a), slot_key("passport", pa))
    assert slot.current == current
    assert slot.history == [older, old]


def test_slots_read_items_documents_and_people_in_three_queries(
    application_a, django_assert_num_queries
):
    for code in ("passport", "photo", "identity_documents"):
        factories.make_document(
            application=application_a, person=application_a.principal_applicant, item_code=code
        )
    application = type(application_a).objects.select_related("program").get(pk=application_a.pk)
    with django_assert_num_queries(3):
        document_slots(application)


# --- names ------------------------------------------------------------------------------------


def test_the_file_name_follows_the_ircc_convention():
    assert (
        convention_name(
            family_name="Wong",
            given_names="John",
            document_type="Proof of Education",
            number=1,
            extension="pdf",
        )
        == "Wong – John – Proof of Education – 1.pdf"
    )


def test_the_file_name_drops_characters_that_break_submissions_and_keeps_accents():
    name = convention_name(
        family_name="Côté/Lévesque",
        given_names="Zoë  Anne",
        document_type='Proof: "funds" & more?',
        number=2,
        extension="jpg",
    )
    assert name == "CôtéLévesque – Zoë Anne – Proof funds more – 2.jpg"


def test_a_long_document_type_is_shortened_but_names_and_number_stay(settings):
    settings.UPLOAD_NAME_MAX_CHARS = 60
    name = convention_name(
        family_name="Tremblay",
        given_names="Marie",
        document_type="Document checklist for the sponsorship category " * 3,
        number=1,
        extension="pdf",
    )
    assert len(name) <= 60
    assert name.startswith("Tremblay – Marie – Document checklist")
    assert name.endswith(" – 1.pdf")


def test_names_use_the_linked_person_or_the_principal_applicant(application_a):
    child = factories.make_person(
        application=application_a, relationship="02", family_name="Doe", given_names="Lily"
    )
    slots = document_slots(application_a)
    photo = find_slot(slots, slot_key("photo", child))
    receipt = find_slot(slots, "fee_receipt")
    assert (
        document_name_for(photo, application=application_a, number=1, extension="jpg")
        == "Doe – Lily – Photo – 1.jpg"
    )
    assert document_name_for(
        receipt, application=application_a, number=1, extension="pdf"
    ).startswith("CANARY-A-Family – CANARY-A-Given – Fee payment receipt")


def test_names_use_french_document_types_for_a_french_speaking_principal_applicant(
    application_a,
):
    Person.objects.filter(pk=application_a.principal_applicant.pk).update(
        correspondence_language="fr"
    )
    application_a.principal_applicant.refresh_from_db()
    slot = find_slot(
        document_slots(application_a), slot_key("passport", application_a.principal_applicant)
    )
    name = document_name_for(slot, application=application_a, number=1, extension="pdf")
    assert "Passeport ou titre de voyage" in name


# --- task list --------------------------------------------------------------------------------


def test_required_slots_are_tasks_and_conditional_ones_are_checks(application_a):
    pa = application_a.principal_applicant
    tasks = {task.code: task for task in application_task_list(application_a)}
    passport = tasks[f"document:passport--{pa.public_id}"]
    assert passport.required and not passport.done and passport.kind == "document"
    assert "#slot-passport--" in passport.url
    civil = tasks[f"document:civil_status_documents--{pa.public_id}"]
    assert not civil.required and civil.kind == "document_check"
    assert "Check whether needed" in str(civil.label)
    assert f"document:imm5475--{pa.public_id}" not in tasks  # optional and empty: nothing to do


def test_uploading_a_required_document_moves_the_progress(application_a):
    pa = application_a.principal_applicant
    before = progress(application_task_list(application_a))
    factories.make_document(application=application_a, person=pa)
    after = progress(application_task_list(application_a))
    assert after == (before[0] + 1, before[1])


def test_a_stale_imm5476_blocks_even_in_a_conditional_slot(application_a):
    child = factories.make_person(
        application=application_a, relationship="02", date_of_birth=date(2005, 1, 1)
    )
    factories.make_document(
        application=application_a,
        person=child,
        item_code="imm5476_d18",
        signature_date=TODAY + timedelta(days=3),
        signed_by_hand_confirmed=True,
    )
    tasks = {task.code: task for task in application_task_list(application_a)}
    task = tasks[f"document:imm5476_d18--{child.public_id}"]
    assert task.required and not task.done
    assert "post-dated" in task.problems[0]
