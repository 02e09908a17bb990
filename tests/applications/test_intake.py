"""Program intake management (issue 8 item 4): open, pause, close and cap a program in the admin,
warn representatives with drafts once each, banners, and what a stopped program blocks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.errors import WrongState
from accounts.models import AuditEvent
from applications import intake, services
from applications.forms import open_programs
from applications.models import Application, IntakeChange, Program, ProgramIntake
from tests import factories
from tests.conftest import signed_in
from tests.representatives.test_admin import count_queries
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
CODE = "family_spouse_partner_child"
PROGRAMS = reverse("admin:applications_program_changelist")


def program(code=CODE) -> Program:
    return Program.objects.select_related("intake").get(code=code)


def intake_url(target: Program) -> str:
    return reverse("admin:applications_program_intake", args=[target.pk])


@pytest.fixture
def program_admin_user():
    return make_staff_in(PROGRAM_ADMIN)


@pytest.fixture
def program_admin(program_admin_user):
    return signed_in(program_admin_user)


def change(actor, *, state, cap=None, code=CODE):
    return intake.program_intake_change(program=program(code), state=state, cap=cap, actor=actor)


# --- the service ------------------------------------------------------------------------------


def test_a_program_administrator_pauses_a_program_with_a_history_row_and_an_audit_row(
    program_admin_user,
):
    record = change(program_admin_user, state="paused", cap=500)
    target = program()
    assert (target.intake.state, target.intake.cap) == ("paused", 500)
    row = IntakeChange.objects.get()
    assert row == record
    assert (row.actor, row.old_state, row.new_state, row.old_cap, row.new_cap) == (
        program_admin_user, "open", "paused", None, 500,
    )  # fmt: skip
    audit = AuditEvent.objects.get(action="program.intake_changed")
    assert audit.actor == program_admin_user and audit.reason == "open->paused"


@pytest.mark.parametrize("group", [OFFICER, SUPERVISOR])
def test_officers_and_supervisors_cannot_change_the_intake(group):
    with pytest.raises(PermissionDenied):
        change(make_staff_in(group), state="closed")
    assert program().intake.state == "open" and not IntakeChange.objects.exists()


def test_a_representative_cannot_change_the_intake(rep_a_user):
    with pytest.raises(PermissionDenied):
        change(rep_a_user, state="closed")
    assert not IntakeChange.objects.exists()


def test_every_move_outside_the_intake_table_is_refused_and_writes_nothing(program_admin_user):
    states = ProgramIntake.State.values
    for old in states:
        for new in states:
            ProgramIntake.objects.filter(program__code=CODE).update(state=old, cap=None)
            before = IntakeChange.objects.count()
            allowed = new != old and new in intake.INTAKE_TRANSITIONS[old]
            if allowed:
                change(program_admin_user, state=new)
                assert program().intake.state == new
                assert IntakeChange.objects.count() == before + 1
            else:
                with pytest.raises(WrongState):
                    change(program_admin_user, state=new)
                assert program().intake.state == old
                assert IntakeChange.objects.count() == before
    # A closed program is only opened again (by invitation or openly), never paused.
    assert "paused" not in intake.INTAKE_TRANSITIONS["closed"]


def test_the_cap_changes_alone_but_never_below_the_applications_counted(program_admin_user):
    ProgramIntake.objects.filter(program__code=CODE).update(used=10)
    change(program_admin_user, state="open", cap=10)
    assert program().intake.cap == 10
    with pytest.raises(intake.CapBelowUsed):
        change(program_admin_user, state="open", cap=9)
    assert program().intake.cap == 10
    assert IntakeChange.objects.count() == 1


def make_drafts(representative, n, *, status="draft", code=CODE):
    for _ in range(n):
        factories.make_application(
            representative=representative, program=program(code), status=status
        )


def test_pausing_emails_each_representative_with_drafts_once_whatever_their_number(
    program_admin_user, outbox
):
    many, one = factories.make_representative(), factories.make_representative()
    submitted_only, elsewhere = factories.make_representative(), factories.make_representative()
    make_drafts(many, 3)
    make_drafts(many, 1, status="awaiting_client_signature")
    make_drafts(one, 1, status="rep_declared")
    make_drafts(submitted_only, 2, status="submitted")
    make_drafts(elsewhere, 2, code="atlantic_immigration_program")
    record = change(program_admin_user, state="paused")
    warned = [email for email in outbox.emails if email["template"] == "intake_stopped"]
    assert sorted(email["to"] for email in warned) == sorted([many.user.email, one.user.email])
    assert {email["to"]: email["context"]["drafts"] for email in warned} == {
        many.user.email: 4,
        one.user.email: 1,
    }
    assert record.representatives_warned == 2
    # Closing the paused program warns again (a new change); a cap change alone warns nobody.
    change(program_admin_user, state="closed")
    change(program_admin_user, state="closed", cap=100)
    warned = [email for email in outbox.emails if email["template"] == "intake_stopped"]
    assert len(warned) == 4
    assert {email["context"]["state"] for email in warned} == {"paused", "closed"}
    # The outbox keys are per change and representative: sending again adds nothing.
    from accounts.models import OutboxEmail

    assert OutboxEmail.objects.filter(key__startswith="intake-stopped:").count() == 4
    # Bilingual, the program named, and no client data.
    email = OutboxEmail.objects.filter(to=one.user.email).order_by("pk").first()
    assert "is paused" in email.subject and "est suspendu" in email.subject
    assert (
        "Sponsoring a spouse" in email.body_text and "La version française suit" in email.body_text
    )
    assert "programme est maintenant suspendu" in email.body_text
    assert "Doe" not in email.body_text and "Jane" not in email.body_text


def test_opening_a_program_warns_nobody(program_admin_user, outbox):
    make_drafts(factories.make_representative(), 1)
    ProgramIntake.objects.filter(program__code=CODE).update(state="paused")
    record = change(program_admin_user, state="open")
    assert record.representatives_warned == 0
    assert not [email for email in outbox.emails if email["template"] == "intake_stopped"]


# --- what a stopped program blocks ------------------------------------------------------------


@pytest.mark.parametrize("state", ["paused", "closed"])
def test_a_stopped_program_takes_no_new_application(rep_a_user, state):
    ProgramIntake.objects.filter(program__code=CODE).update(state=state)
    assert CODE not in {p.code for p in open_programs()}
    with pytest.raises(services.ProgramNotOpen):
        services.application_create(
            representative=rep_a_user.representative, family_name="New", given_names="Client",
            email="new-client@example.test", program=program(), actor=rep_a_user,
        )  # fmt: skip
    assert not Application.objects.exists()


def test_a_draft_in_a_paused_program_stays_readable_and_editable(rep_a, application_a):
    ProgramIntake.objects.filter(program__code=CODE).update(state="paused")
    for name in ("detail", "history", "documents"):
        url = reverse(f"applications:{name}", args=[application_a.public_id])
        assert rep_a.get(url).status_code == 200, name
    person_url = reverse(
        "applications:person_edit",
        args=[application_a.public_id, application_a.principal_applicant.public_id],
    )
    assert rep_a.get(person_url).status_code == 200


# --- the admin ----------------------------------------------------------------------------------


def test_a_program_administrator_pauses_a_program_on_the_intake_page(
    program_admin, application_a, outbox
):
    target = program()
    page = program_admin.get(intake_url(target))
    assert page.status_code == 200
    assert "1 drafts now" in page.content.decode()
    response = program_admin.post(
        intake_url(target), {"state": "paused", "cap": "", "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:applications_program_change", args=[target.pk])
    assert program().intake.state == "paused"
    assert len(outbox.to(application_a.representative.user.email, "intake_stopped")) == 1
    change_page = program_admin.get(response["Location"]).content.decode()
    assert "Representatives warned: 1" in change_page
    assert "intake changes" in change_page.lower()  # the history, read-only
    assert intake_url(target) in change_page


def test_the_intake_form_shows_errors_and_keeps_what_was_typed(program_admin):
    target = program()
    ProgramIntake.objects.filter(program=target).update(used=7, state="closed")
    response = program_admin.post(intake_url(target), {"state": "paused", "cap": "5"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("state", "move_not_allowed")
    assert form.has_error("cap", "below_used")
    assert form.has_error("confirm", "required")
    html = response.content.decode()
    assert 'value="5"' in html
    response = program_admin.post(intake_url(target), {"state": "closed", "confirm": "on"})
    assert response.context["form"].has_error("__all__", "no_change")
    response = program_admin.post(
        intake_url(target), {"state": "open", "cap": "abc", "confirm": "on"}
    )
    assert response.status_code == 200 and response.context["form"].has_error("cap")
    assert program().intake.state == "closed" and not IntakeChange.objects.exists()


def test_the_intake_page_is_for_program_administrators_only(rep_a):
    target = program()
    officer = signed_in(make_staff_in(OFFICER))
    for client in (officer, signed_in(make_staff_in(SUPERVISOR))):
        assert client.get(intake_url(target)).status_code == 403
        post = client.post(intake_url(target), {"state": "closed", "confirm": "on"})
        assert post.status_code == 403
    assert rep_a.get(intake_url(target)).status_code == 302  # to the admin sign-in
    assert rep_a.post(intake_url(target), {"state": "closed", "confirm": "on"}).status_code == 302
    assert program().intake.state == "open"
    assert officer.get(PROGRAMS).status_code == 403


def test_the_state_and_cap_are_read_only_on_the_program_page(program_admin):
    target = program()
    html = program_admin.get(
        reverse("admin:applications_program_change", args=[target.pk])
    ).content.decode()
    assert 'name="intake-0-state"' not in html and 'name="intake-0-cap"' not in html
    assert 'name="intake-0-closes_at"' in html


def test_the_program_list_shows_live_submitted_draft_and_cap_counts(program_admin):
    rep = factories.make_representative()
    make_drafts(rep, 2)
    make_drafts(rep, 3, status="submitted")
    make_drafts(rep, 1, status="accepted")
    make_drafts(rep, 1, status="returned_other")
    ProgramIntake.objects.filter(program__code=CODE).update(used=4, cap=50)
    response = program_admin.get(PROGRAMS, {"q": CODE})
    row = response.context["cl"].result_list.get(code=CODE)
    assert (row.submitted_count, row.draft_count) == (4, 2)
    html = response.content.decode()
    assert "4 of 50" in html
    assert intake_url(program()) in html  # the state links to the intake page


def _new_program(n: int) -> Program:
    created = Program.objects.create(
        code=f"extra_{n}", name_en=f"Extra {n}", name_fr=f"Extra {n}", category="economic"
    )
    ProgramIntake.objects.create(program=created, cap=100)
    return created


def test_the_program_list_query_count_does_not_grow_with_the_programs(program_admin):
    rep = factories.make_representative()
    url = f"{PROGRAMS}?code__startswith=extra_"
    first = _new_program(0)
    make_drafts(rep, 1, code=first.code)
    program_admin.get(url)  # warm the caches a first request fills
    baseline = count_queries(program_admin, "/en/privacy/")
    at_1 = count_queries(program_admin, url)
    for n in range(1, 25):
        extra = _new_program(n)
        make_drafts(rep, 1, code=extra.code)
        make_drafts(rep, 1, code=extra.code, status="submitted")
    at_25 = count_queries(program_admin, url)
    assert at_1 == at_25
    assert at_1 - baseline <= 6


# --- what representatives see -------------------------------------------------------------------


def test_the_dashboard_and_the_application_page_show_the_banner_for_stopped_programs(
    rep_a, rep_a_user, application_a
):
    dashboard = reverse("applications:dashboard")
    detail = reverse("applications:detail", args=[application_a.public_id])
    assert "intake-banner" not in rep_a.get(dashboard).content.decode()
    assert "intake-banner" not in rep_a.get(detail).content.decode()
    factories.make_application(representative=rep_a_user.representative, program=program())
    ProgramIntake.objects.filter(program__code=CODE).update(state="paused")
    html = rep_a.get(dashboard).content.decode()
    assert "intake-banner" in html
    assert "is paused: you have 2 drafts in it." in html
    assert "Program paused" in html
    html = rep_a.get(detail).content.decode()
    assert "This program is paused" in html
    assert reverse("applications:draft_pdf", args=[application_a.public_id]) in html
    forms = reverse("forms_imm:overview", args=[application_a.public_id])
    assert "This program is paused" in rep_a.get(forms).content.decode()
    ProgramIntake.objects.filter(program__code=CODE).update(state="closed")
    assert "is closed: you have 2 drafts in it." in rep_a.get(dashboard).content.decode()
    assert "This program is closed" in rep_a.get(detail).content.decode()


def test_submitted_applications_get_no_banner(rep_a, rep_a_user):
    submitted = factories.make_application(
        representative=rep_a_user.representative, program=program(), status="submitted",
        application_number="F000000001",
    )  # fmt: skip
    ProgramIntake.objects.filter(program__code=CODE).update(state="closed")
    assert "intake-banner" not in rep_a.get(reverse("applications:dashboard")).content.decode()
    detail = reverse("applications:detail", args=[submitted.public_id])
    assert "intake-banner" not in rep_a.get(detail).content.decode()


def test_a_program_added_in_the_admin_gets_an_open_intake_without_a_cap(program_admin):
    add_url = reverse("admin:applications_program_add")
    page = program_admin.get(add_url)
    data = {
        "code": "new_pilot", "name_en": "New pilot", "name_fr": "Nouveau projet pilote",
        "category": "economic", "order": "0", "is_active": "on", "allows_dependants": "on",
        "imm5562_required": "unknown", "digital_forms": "standard",
        "signing_mode": "pa_signs_all", "application_number_prefix": "E",
        "signable_items": '["consent"]', "other_guides": "[]", "forbidden_provinces": "[]",
        "required_provinces": "[]", "checks": "[]", "details_fields": "[]",
    }  # fmt: skip
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = "0"
    response = program_admin.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = program("new_pilot")
    assert (created.intake.state, created.intake.cap) == ("open", None)
    assert program_admin.get(PROGRAMS).status_code == 200
