"""Program rules that need code, as small named checks.

A program lists the names of its checks in ``Program.checks`` (data, editable by staff); each
name maps to one function here. A check reads a ``ProgramFacts`` (built from the application by
its caller) and returns the problems it finds, which the task list and the submit gate show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProgramFacts:
    today: date
    details: dict = field(default_factory=dict)  # the program-specific details section
    intended_province: str | None = None  # IMM 0008 intended province code, e.g. "QC"
    forbidden_provinces: tuple[str, ...] = ()
    required_provinces: tuple[str, ...] = ()
    dependant_count: int = 0
    uploaded_items: frozenset[str] = frozenset()  # checklist codes with a file


@dataclass(frozen=True)
class Problem:
    check: str
    code: str
    message: str
    section: str = "program_details"  # where the representative fixes it


CHECKS: dict[str, Callable[[ProgramFacts], list[Problem]]] = {}


def register(name: str):
    def decorator(function):
        CHECKS[name] = function
        return function

    return decorator


def run_checks(names: list[str], facts: ProgramFacts) -> list[Problem]:
    """Run the named checks; an unknown name is itself a "
    "problem (staff typo in the admin)."""
    problems: list[Problem] = []
    for name in names:
        check = CHECKS.get(name)
        if check is None:
            problems.append(
                Problem(
                    name, "unknown_check", _("This program names a rule the portal does not know.")
                )
            )
            continue
        problems.extend(check(facts))
    return problems


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@register("pnp_nomination_not_expired")
def pnp_nomination_not_expired(facts: ProgramFacts) -> list[Problem]:
    expiry = _date(facts.details.get("nomination_expiry_date"))
    if expiry is None:
        return [
            Problem(
                "pnp_nomination_not_expired",
                "nomination_expiry_missing",
                _("Enter the expiry date of the provincial nomination certificate."),
            )
        ]
    if expiry < facts.today:
        return [
            Problem(
                "pnp_nomination_not_expired",
                "nomination_expired",
                _(
                    "The provincial nomination has expired. IRCC returns "
                    "applications received after it expires."
                ),
            )
        ]
    return []


@register("quebec_csq_required")
def quebec_csq_required(facts: ProgramFacts) -> list[Problem]:
    if facts.details.get("sub_category") not in (None, "", "quebec") and not facts.details.get(
        "csq_number"
    ):
        return []
    if not facts.details.get("csq_number") and "csq" not in facts.uploaded_items:
        return [
            Problem(
                "quebec_csq_required",
                "csq_missing",
                _(
                    "A Quebec selection certificate (CSQ) is required: "
                    "enter its number or upload it."
                ),
            )
        ]
    return []


@register("startup_commitment_certificate")
def startup_commitment_certificate(facts: ProgramFacts) -> list[Problem]:
    if not facts.details.get("commitment_certificate_id"):
        return [
            Problem(
                "startup_commitment_certificate",
                "commitment_certificate_missing",
                _("Enter the commitment certificate ID the designated organization gave you."),
            )
        ]
    return []


@register("pgp_ita_required")
def pgp_ita_required(facts: ProgramFacts) -> list[Problem]:
    if not facts.details.get("ita_number") and "ita_copy" not in facts.uploaded_items:
        return [
            Problem(
                "pgp_ita_required",
                "ita_missing",
                _(
                    "Sponsors of parents and grandparents need an "
                    "invitation to apply: enter its number."
                ),
            )
        ]
    return []


@register("oyw_anchor_within_one_year")
def oyw_anchor_within_one_year(facts: ProgramFacts) -> list[Problem]:
    confirmed = _date(facts.details.get("anchor_pr_confirmation_date"))
    if confirmed is None:
        return [
            Problem(
                "oyw_anchor_within_one_year",
                "anchor_date_missing",
                _("Enter the date the family member in Canada confirmed permanent residence."),
            )
        ]
    try:
        limit = confirmed.replace(year=confirmed.year + 1)
    except ValueError:  # 29 February
        limit = confirmed.replace(year=confirmed.year + 1, day=28)
    if facts.today > limit:
        return [
            Problem(
                "oyw_anchor_within_one_year",
                "anchor_window_passed",
                _(
                    "More than one year has passed since the family member "
                    "in Canada became a permanent resident."
                ),
            )
        ]
    return []


@register("trp_no_dependants")
def trp_no_dependants(facts: ProgramFacts) -> list[Problem]:
    if facts.dependant_count:
        return [
            Problem(
                "trp_no_dependants",
                "dependants_not_allowed",
                _("Temporary resident permit holders apply alone: remove the family members."),
                section="profiles",
            )
        ]
    return []


@register("province_not_quebec")
def province_not_quebec(facts: ProgramFacts) -> list[Problem]:
    if facts.intended_province and facts.intended_province in facts.forbidden_provinces:
        return [
            Problem(
                "province_not_quebec",
                "province_not_allowed",
                _("This program does not accept applicants who intend to live in Quebec."),
                section="imm0008",
            )
        ]
    return []


@register("province_must_be_quebec")
def province_must_be_quebec(facts: ProgramFacts) -> list[Problem]:
    if facts.details.get("sub_category") == "federal":  # self-employed has a federal stream
        return []
    required = facts.required_provinces or ("QC",)
    if facts.intended_province and facts.intended_province not in required:
        return [
            Problem(
                "province_must_be_quebec",
                "province_must_be_quebec",
                _("This program is for applicants who intend to live in Quebec."),
                section="imm0008",
            )
        ]
    return []


@register("anchor_declaration_required")
def anchor_declaration_required(facts: ProgramFacts) -> list[Problem]:
    if not facts.details.get("anchor_family_name"):
        return [
            Problem(
                "anchor_declaration_required",
                "anchor_missing",
                _("Enter the details of the family member in Canada (the anchor)."),
            )
        ]
    return []
