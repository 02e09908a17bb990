"""The fee panel beside the fee receipt slot: the amount due for the people on the application,
and the amount on the uploaded receipts against it (programs.md §6.2 and §6.3)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.documents import FeeOutcome, document_slots, fee_people, fee_summary
from applications.models import Application, Person, Program
from applications.services import application_progress_refresh
from applications.tasks_list import application_task_list
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)  # 2026 rates


@pytest.fixture(autouse=True)
def frozen():
    noon = datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("America/Toronto"))
    with time_machine.travel(noon, tick=False):
        yield


def born(age: int) -> date:
    return date(TODAY.year - age, 1, 15)


def build(rep_a_user, client_a_user, program_code, *members, pa_age=35, details=None):
    application = factories.make_application(
        representative=rep_a_user.representative,
        client=factories.make_client(user=client_a_user),
        program=Program.objects.get(code=program_code),
        family_name="CANARY-A-Family",
        program_details=details or {},
    )
    Person.objects.filter(pk=application.principal_applicant.pk).update(date_of_birth=born(pa_age))
    for relationship, age, accompanying in members:
        factories.make_person(
            application=application,
            relationship=relationship,
            date_of_birth=born(age),
            accompanying=accompanying,
        )
    return Application.objects.get(pk=application.pk)


def summary(application):
    people = list(application.people.order_by("created_at", "id"))
    slots = document_slots(application, people=people, today=TODAY)
    return fee_summary(application, people=people, slots=slots, today=TODAY)


COMPOSITIONS = [
    # Spouse sponsorship, PA alone: 570 + sponsorship 85 now; RPRF 600 and biometrics 85 later.
    ("family_spouse_partner_child", [], None, "655.00", "1340.00"),
    # PA + spouse staying behind + child of 19: 570 + 175 + 85; RPRF for the PA only; the
    # biometrics of three people capped at the family maximum of 170.
    (
        "family_spouse_partner_child",
        [("10", 33, False), ("02", 19, True)],
        None,
        "830.00",
        "1600.00",
    ),
    # A sponsored dependent child (15) as PA: child rate 85 + sponsorship 85; no RPRF.
    (
        "family_spouse_partner_child",
        [],
        {"sponsorship_category": "dependent_child", "pa_age": 15},
        "170.00",
        "255.00",
    ),
    # PNP, PA + spouse + children of 10 and 4: 990 + 950 + 2 × 260; RPRF 2 × 600; bio 170.
    (
        "pnp_non_express_entry",
        [("10", 33, True), ("02", 10, True), ("02", 4, True)],
        None,
        "2460.00",
        "3830.00",
    ),
    # PNP, PA + child of 19 + grandchild: 990 + 2 × 260; RPRF 600; biometrics 2 adults 170.
    ("pnp_non_express_entry", [("02", 19, True), ("04", 1, True)], None, "1510.00", "2280.00"),
    # Protected persons, PA (40) + spouse + child of 10: 635 + 635 + 175; RPRF exempt; bio 170.
    (
        "protected_persons",
        [("10", 38, True), ("02", 10, True)],
        {"pa_age": 40},
        "1445.00",
        "1615.00",
    ),
    # PR card: 50, nothing else.
    ("pr_card", [], None, "50.00", "50.00"),
]


@pytest.mark.parametrize(("code", "members", "extra", "required", "maximum"), COMPOSITIONS)
def test_the_page_shows_the_fee_table_amount_for_each_family(
    rep_a, rep_a_user, client_a_user, code, members, extra, required, maximum
):
    extra = dict(extra or {})
    pa_age = extra.pop("pa_age", 35)
    application = build(
        rep_a_user, client_a_user, code, *members, pa_age=pa_age, details=extra or None
    )
    fees = summary(application)
    assert fees.required == Decimal(required) and fees.maximum == Decimal(maximum)
    page = rep_a.get(reverse("applications:documents", args=[application.public_id]))
    body = page.content.decode()
    assert f'data-testid="fee-required">${Decimal(required):,.2f}' in body
    assert f"Due now: ${Decimal(required):,.2f}" in body


def test_family_members_map_to_fee_roles_and_unknown_answers_count_as_coming():
    people = [
        Person(role="pa", family_name="A", date_of_birth=born(40)),
        Person(role="spouse_partner", family_name="B", accompanying=None),
        Person(role="grandchild", family_name="C", date_of_birth=born(2), accompanying=False),
    ]
    mapped = fee_people(people, TODAY)
    assert [(p.role, p.age, p.accompanying) for p in mapped] == [
        ("pa", 40, True),
        ("spouse", None, True),
        ("child", 2, False),
    ]


def test_a_program_without_configured_fees_says_so(rep_a, rep_a_user, client_a_user):
    application = build(rep_a_user, client_a_user, "hong_kong_pathways")
    body = rep_a.get(reverse("applications:documents", args=[application.public_id])).content
    assert b"The fees for this program are not configured yet." in body
    codes = {task.code for task in application_task_list(application)}
    assert "fee_underpaid" not in codes


def receipt(application, amount, **fields):
    return factories.make_document(
        application=application, item_code="fee_receipt", receipt_amount=Decimal(amount), **fields
    )


@pytest.fixture
def spouse_sponsorship(rep_a_user, client_a_user):
    return build(rep_a_user, client_a_user, "family_spouse_partner_child")  # 655 now, 1340 max


def tasks_by_code(application):
    return {task.code: task for task in application_task_list(application)}


def test_an_underpayment_is_a_blocking_task(rep_a, spouse_sponsorship):
    receipt(spouse_sponsorship, "600.00")
    fees = summary(spouse_sponsorship)
    assert fees.outcome == FeeOutcome.UNDERPAID and fees.difference == Decimal("55.00")
    task = tasks_by_code(spouse_sponsorship)["fee_underpaid"]
    assert task.required and not task.done
    assert "$55.00 is still due" in str(task.label)
    application_progress_refresh(spouse_sponsorship)
    spouse_sponsorship.refresh_from_db()
    assert spouse_sponsorship.tasks_done < spouse_sponsorship.tasks_total
    body = rep_a.get(
        reverse("applications:documents", args=[spouse_sponsorship.public_id])
    ).content.decode()
    assert 'data-outcome="underpaid"' in body and "$55.00 is still due" in body


def test_an_overpayment_is_only_a_warning(rep_a, spouse_sponsorship):
    receipt(spouse_sponsorship, "1400.00")
    assert summary(spouse_sponsorship).outcome == FeeOutcome.OVERPAID
    tasks = tasks_by_code(spouse_sponsorship)
    assert "fee_underpaid" not in tasks
    warning = tasks["fee_overpaid"]
    assert warning.kind == "warning" and not warning.required
    assert "$60.00 more" in str(warning.label)
    assert tasks["document:fee_receipt"].done
    body = rep_a.get(
        reverse("applications:documents", args=[spouse_sponsorship.public_id])
    ).content.decode()
    assert 'data-outcome="overpaid"' in body and "IRCC refunds an overpayment" in body


@pytest.mark.parametrize("amount", ["655.00", "1255.00", "1340.00"])
def test_paying_what_is_due_now_or_more_up_to_the_optional_fees_is_fine(spouse_sponsorship, amount):
    receipt(spouse_sponsorship, amount)
    assert summary(spouse_sponsorship).outcome == FeeOutcome.PAID
    tasks = tasks_by_code(spouse_sponsorship)
    assert "fee_underpaid" not in tasks and "fee_overpaid" not in tasks
    assert tasks["document:fee_receipt"].done


def test_several_receipts_are_added_up(spouse_sponsorship):
    first = receipt(spouse_sponsorship, "600.00")
    receipt(spouse_sponsorship, "55.00", state="part", part_of=first)
    fees = summary(spouse_sponsorship)
    assert fees.paid == Decimal("655.00") and fees.outcome == FeeOutcome.PAID


def test_no_receipt_yet_is_the_missing_slot_not_an_underpayment(spouse_sponsorship):
    assert summary(spouse_sponsorship).outcome == FeeOutcome.NO_RECEIPT
    tasks = tasks_by_code(spouse_sponsorship)
    assert "fee_underpaid" not in tasks
    assert not tasks["document:fee_receipt"].done


def test_the_amount_entered_with_the_upload_is_compared(rep_a, spouse_sponsorship):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.corpus import make_uploads as corpus

    rep_a.post(
        reverse("applications:document_upload", args=[spouse_sponsorship.public_id, "fee_receipt"]),
        {"file": SimpleUploadedFile("r.pdf", corpus.good_pdf()), "receipt_amount": "500"},
    )
    spouse_sponsorship.refresh_from_db()
    assert "fee_underpaid" in tasks_by_code(spouse_sponsorship)
    assert spouse_sponsorship.tasks_done < spouse_sponsorship.tasks_total


def test_amounts_follow_the_french_format(rep_a, spouse_sponsorship):
    from django.utils import translation

    receipt(spouse_sponsorship, "600.00")
    french = reverse("applications:documents", args=[spouse_sponsorship.public_id]).replace(
        "/en/", "/fr/", 1
    )
    with translation.override("en"):  # the French request must not leave French active
        body = rep_a.get(french).content.decode()
    assert "À payer maintenant : 655,00 $" in body
    assert "1\xa0340,00 $" in body or "1 340,00 $" in body
    assert "Il manque encore 55,00 $" in body
