"""Fee totals against the fee table (programs.md §6) for family compositions across programs."""

from datetime import date
from decimal import Decimal

import pytest

from applications.fees import FeePerson, FeeRateMissing, fee_estimate
from applications.models import FeeRule, Program

pytestmark = pytest.mark.django_db

BEFORE = date(2025, 6, 1)  # 2024-2026 rates
AFTER = date(2026, 11, 25)  # rates from 30 April 2026

PA = FeePerson("pa", 35)
SPOUSE = FeePerson("spouse", 33)
SPOUSE_STAYING = FeePerson("spouse", 33, accompanying=False)
CHILD_10 = FeePerson("child", 10)
CHILD_19 = FeePerson("child", 19)
CHILD_4 = FeePerson("child", 4)


def program(code):
    return Program.objects.get(code=code)


def amounts(estimate):
    return {line.code: line.total for line in estimate.lines}


@pytest.mark.parametrize(
    ("code", "people", "on", "required", "total"),
    [
        # Economic (PNP): PA alone, 2024 rates: 950 required; RPRF 575 and biometrics 85 later.
        ("pnp_non_express_entry", [PA], BEFORE, "950.00", "1610.00"),
        # PNP, PA + spouse + children 10 and 4, 2026 rates: 990 + 950 + 2×260 = 2460;
        # RPRF 2×600; biometrics for 2 adults 170 (family maximum).
        ("pnp_non_express_entry", [PA, SPOUSE, CHILD_10, CHILD_4], AFTER, "2460.00", "3830.00"),
        # Business (start-up visa), PA + spouse, 2024 rates: 1810 + 950; RPRF 2×575; bio 170.
        ("start_up_visa", [PA, SPOUSE], BEFORE, "2760.00", "4080.00"),
        # Family (spouse sponsorship): sponsored PA 545 + sponsorship 85 = 630; RPRF 575; bio 85.
        ("family_spouse_partner_child", [PA], BEFORE, "630.00", "1290.00"),
        # Family, PA + non-accompanying spouse + child 19, 2026: 570 + 175 + 85 = 830;
        # RPRF for the PA only (600); biometrics PA, spouse, child 19 = 255 capped at 170.
        ("family_spouse_partner_child", [PA, SPOUSE_STAYING, CHILD_19], AFTER, "830.00", "1600.00"),
        # Protected persons: RPRF exempt. PA + spouse + child 10: 635 + 635 + 175 = 1445; bio 170.
        ("protected_persons", [PA, SPOUSE, CHILD_10], BEFORE, "1445.00", "1615.00"),
        # PR card: 50 per person, nothing else.
        ("pr_card", [PA], AFTER, "50.00", "50.00"),
        # One-year window: no fee at all.
        ("one_year_window", [PA, CHILD_10], AFTER, "0.00", "0.00"),
    ],
)
def test_fee_totals_follow_the_fee_table(code, people, on, required, total):
    estimate = fee_estimate(program=program(code), people=people, on=on)
    assert estimate.required_total == Decimal(required)
    assert estimate.total == Decimal(total)


def test_sponsored_child_pays_the_child_rate_and_no_rprf():
    estimate = fee_estimate(
        program=program("family_spouse_partner_child"),
        people=[FeePerson("pa", 12)],
        on=BEFORE,
        pa_is_sponsored_child=True,
        include_biometrics=False,
    )
    assert amounts(estimate) == {
        "processing_child_pa": Decimal("85.00"),
        "sponsorship": Decimal("85.00"),
    }


def test_rates_change_on_the_effective_date():
    pnp = program("pnp_non_express_entry")
    last_old = fee_estimate(
        program=pnp, people=[PA], on=date(2026, 4, 29), include_biometrics=False
    )
    first_new = fee_estimate(
        program=pnp, people=[PA], on=date(2026, 4, 30), include_biometrics=False
    )
    assert amounts(last_old)["processing_pa"] == Decimal("950.00")
    assert amounts(first_new)["processing_pa"] == Decimal("990.00")
    assert amounts(first_new)["rprf"] == Decimal("600.00")


def test_staff_changes_to_fee_rules_are_used_at_once():
    FeeRule.objects.create(
        fee_category="economic_standard", role="pa", amount=Decimal("1000.00"),
        effective_from=date(2026, 11, 1),
    )  # fmt: skip
    estimate = fee_estimate(program=program("pnp_non_express_entry"), people=[PA], on=AFTER)
    assert amounts(estimate)["processing_pa"] == Decimal("1000.00")


def test_unconfigured_fee_category_is_reported_not_guessed():
    estimate = fee_estimate(program=program("hong_kong_pathways"), people=[PA], on=AFTER)
    assert estimate.lines == [] and estimate.problem


def test_a_missing_rate_is_an_error_not_zero():
    FeeRule.objects.filter(fee_category="caregiver", role="child").delete()
    with pytest.raises(FeeRateMissing):
        fee_estimate(program=program("home_support_worker_pilot"), people=[PA, CHILD_4], on=AFTER)
