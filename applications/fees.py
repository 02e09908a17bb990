"""The expected-fee calculator (programs.md §6.2), driven entirely by FeeRule rows.

    expected = processing(PA) + Σ processing(each accompanying dependant by role)
             + sponsorship fee (family programs)
             + RPRF × (PA + accompanying spouse, minus exemptions)      (may be paid later)
             + biometrics (people aged 14–79, with the family maximum)   (optional at submission)

Rates are those in force on the date the application is received (its submission date; for a
draft, today). Only accompanying family members pay processing fees; non-accompanying ones are
declared and examined but not charged.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import FeeRule, Program

ZERO = Decimal("0.00")


class FeeRateMissing(LookupError):
    """No fee rule covers this category, role and date: staff must add one in the admin."""


@dataclass(frozen=True)
class FeePerson:
    role: str  # "pa", "spouse" or "child" (dependent child or child of a dependent child)
    age: int | None
    accompanying: bool = True


@dataclass(frozen=True)
class FeeLine:
    code: str
    label: str
    amount: Decimal
    count: int = 1
    optional: bool = False  # may be paid later (RPRF) or is not needed at submission (biometrics)

    @property
    def total(self) -> Decimal:
        return self.amount * self.count


@dataclass
class FeeEstimate:
    lines: list[FeeLine] = field(default_factory=list)
    problem: str = ""  # set when the fee cannot be computed (no fee category configured)

    @property
    def required_total(self) -> Decimal:
        return sum((line.total for line in self.lines if not line.optional), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO)


def _rates(fee_categories: set[str], on: date) -> dict[tuple[str, str], Decimal]:
    rules = FeeRule.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        fee_category__in=fee_categories,
        effective_from__lte=on,
    ).order_by("effective_from")
    # A later rule wins over an earlier open-ended one.
    return {(rule.fee_category, rule.role): rule.amount for rule in rules}


def _rate(rates, category: str, role: str) -> Decimal:
    try:
        return rates[(category, role)]
    except KeyError:
        raise FeeRateMissing(f"{category}/{role}") from None


def fee_estimate(
    *,
    program: Program,
    people: list[FeePerson],
    on: date,
    pa_is_sponsored_child: bool = False,
    include_biometrics: bool = True,
) -> FeeEstimate:
    """The fee lines for these people under this program, at the rates in force on ``on``."""
    category = program.fee_category
    estimate = FeeEstimate()
    if not category:
        estimate.problem = str(_("The fees for this program are not configured yet."))
        return estimate
    rates = _rates({category, "rprf", "biometrics"}, on)
    pa = next((p for p in people if p.role == "pa"), None)
    dependants = [p for p in people if p.role != "pa"]

    if category == "no_fee":
        return estimate
    if category == "pr_document":
        amount = _rate(rates, category, "document")
        estimate.lines.append(
            FeeLine("document", str(_("Permanent resident document fee")), amount, len(people))
        )
        return estimate

    if pa is not None:
        if category == "family" and pa_is_sponsored_child:
            label, role = _("Processing fee: sponsored child"), "child_pa"
        else:
            label, role = _("Processing fee: principal applicant"), "pa"
        estimate.lines.append(
            FeeLine(f"processing_{role}", str(label), _rate(rates, category, role))
        )
    spouses = [p for p in dependants if p.role == "spouse" and p.accompanying]
    children = [p for p in dependants if p.role == "child" and p.accompanying]
    if spouses:
        estimate.lines.append(
            FeeLine(
                "processing_spouse",
                str(_("Processing fee: spouse or partner")),
                _rate(rates, category, "spouse"),
                len(spouses),
            )
        )
    if children:
        estimate.lines.append(
            FeeLine(
                "processing_child",
                str(_("Processing fee: dependent child")),
                _rate(rates, category, "child"),
                len(children),
            )
        )
    if category == "family":
        estimate.lines.append(
            FeeLine("sponsorship", str(_("Sponsorship fee")), _rate(rates, category, "sponsorship"))
        )

    # RPRF: the PA and an accompanying spouse; dependent children and sponsored children never.
    if not program.rprf_exempt:
        rprf_people = len(spouses) + (1 if pa is not None and not pa_is_sponsored_child else 0)
        if rprf_people:
            estimate.lines.append(
                FeeLine(
                    "rprf",
                    str(_("Right of permanent residence fee (may be paid later)")),
                    _rate(rates, "rprf", "rprf"),
                    rprf_people,
                    optional=True,
                )
            )

    if include_biometrics:
        counted = [p for p in people if p.age is not None and 14 <= p.age <= 79]
        if counted:
            per_person = _rate(rates, "biometrics", "biometrics")
            family_max = rates.get(("biometrics", "biometrics_family_max"))
            amount = per_person * len(counted)
            if family_max is not None and len(counted) > 1:
                amount = min(amount, family_max)
            estimate.lines.append(
                FeeLine(
                    "biometrics",
                    str(_("Biometrics (people aged 14 to 79; family maximum applies)")),
                    amount,
                    optional=True,
                )
            )
    return estimate
