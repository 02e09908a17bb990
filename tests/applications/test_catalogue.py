"""The program catalogue is loaded as data, complete, and its named checks behave."""

from datetime import date

import pytest

from applications.admin import ProgramAdminForm
from applications.models import ChecklistItem, FeeRule, Program, ProgramIntake
from applications.program_checks import CHECKS, ProgramFacts, run_checks

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def test_every_program_of_the_portal_is_loaded_with_its_intake():
    assert Program.objects.count() == 27
    assert ProgramIntake.objects.count() == 27
    assert set(Program.objects.values_list("code", flat=True)) >= {
        "agri_food_pilot", "pr_card", "pr_travel_document", "sudan_family_pathway",
        "rural_northern_pilot", "parents_grandparents", "trp_holders",
    }  # fmt: skip


def test_every_program_has_french_names_and_a_guide():
    for program in Program.objects.all():
        assert program.name_fr and program.name_en
        assert program.guide_number, program.code


def test_every_named_check_in_the_data_is_registered():
    for program in Program.objects.all():
        assert set(program.checks) <= set(CHECKS), program.code


def test_standard_programs_ask_for_the_representative_form_and_a_fee_receipt():
    for program in Program.objects.exclude(fee_category="no_fee"):
        codes = set(program.checklist.values_list("code", flat=True))
        assert "imm5476" in codes, program.code
        if program.code not in (
            "refugee_groups_of_five",
            "refugee_community_sponsors",
            "refugee_sah",
        ):
            assert "fee_receipt" in codes, program.code


def test_wet_signature_forms_are_flagged():
    imm5476 = ChecklistItem.objects.filter(code="imm5476")
    assert imm5476.exists() and all(item.wet_signature for item in imm5476)


def test_document_programs_use_imm5444_and_have_no_dependants():
    for code in ("pr_card", "pr_travel_document"):
        program = Program.objects.get(code=code)
        assert program.digital_forms == Program.DigitalForms.IMM5444
        assert not program.allows_dependants


def test_fees_have_a_rate_for_every_period():
    economic_pa = FeeRule.objects.filter(fee_category="economic_standard", role="pa")
    amounts = {rule.effective_from.isoformat(): str(rule.amount) for rule in economic_pa}
    assert amounts == {"2024-04-30": "950.00", "2026-04-30": "990.00"}


def test_names_follow_the_active_language():
    from django.utils import translation

    program = Program.objects.get(code="agri_food_pilot")
    with translation.override("fr"):
        assert program.name == program.name_fr
    with translation.override("en"):
        assert program.name == "Agri-Food Pilot"


def test_intake_window_and_state_decide_whether_new_applications_are_accepted():
    intake = ProgramIntake(state="open", opens_at=date(2026, 1, 1), closes_at=date(2026, 12, 31))
    assert intake.accepts_new_applications(TODAY)
    assert not intake.accepts_new_applications(date(2025, 12, 31))
    assert not intake.accepts_new_applications(date(2027, 1, 1))
    intake.state = "paused"
    assert not intake.accepts_new_applications(TODAY)


def test_expired_nomination_is_a_problem():
    facts = ProgramFacts(today=TODAY, details={"nomination_expiry_date": "2026-11-24"})
    [problem] = run_checks(["pnp_nomination_not_expired"], facts)
    assert problem.code == "nomination_expired"
    valid = ProgramFacts(today=TODAY, details={"nomination_expiry_date": "2026-11-25"})
    assert run_checks(["pnp_nomination_not_expired"], valid) == []


def test_quebec_rules_read_the_intended_province_and_stream():
    quebec_only = ["province_must_be_quebec"]
    assert run_checks(quebec_only, ProgramFacts(today=TODAY, intended_province="ON"))
    assert not run_checks(quebec_only, ProgramFacts(today=TODAY, intended_province="QC"))
    federal = ProgramFacts(today=TODAY, intended_province="ON", details={"sub_category": "federal"})
    assert not run_checks(quebec_only, federal)
    no_quebec = ProgramFacts(today=TODAY, intended_province="QC", forbidden_provinces=("QC",))
    assert run_checks(["province_not_quebec"], no_quebec)[0].code == "province_not_allowed"


def test_one_year_window_is_counted_from_the_anchor_confirmation():
    inside = ProgramFacts(today=TODAY, details={"anchor_pr_confirmation_date": "2025-11-25"})
    outside = ProgramFacts(today=TODAY, details={"anchor_pr_confirmation_date": "2025-11-24"})
    assert run_checks(["oyw_anchor_within_one_year"], inside) == []
    assert run_checks(["oyw_anchor_within_one_year"], outside)[0].code == "anchor_window_passed"


def test_startup_and_trp_and_unknown_checks():
    assert run_checks(["startup_commitment_certificate"], ProgramFacts(today=TODAY))
    assert run_checks(["trp_no_dependants"], ProgramFacts(today=TODAY, dependant_count=1))
    assert run_checks(["no_such_rule"], ProgramFacts(today=TODAY))[0].code == "unknown_check"


def test_admin_refuses_an_unknown_check_name():
    program = Program.objects.get(code="agri_food_pilot")
    data = {field: getattr(program, field) for field in ProgramAdminForm._meta.fields}
    data.update(
        checks='["province_not_quebec", "made_up"]',
        other_guides="[]",
        forbidden_provinces='["QC"]',
        required_provinces="[]",
        details_fields="[]",
    )
    form = ProgramAdminForm(data=data, instance=program)
    assert not form.is_valid()
    assert form.errors.as_data()["checks"][0].code == "unknown_check"


def test_staff_can_open_the_program_admin(superuser):
    program = Program.objects.get(code="pnp_non_express_entry")
    response = superuser.get(f"/en/staff-admin/applications/program/{program.pk}/change/")
    assert response.status_code == 200
    assert "Provincial" in response.content.decode()
