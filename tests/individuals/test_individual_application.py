"""A self-represented application (issue 10): the individual starts it, prepares it on the
representative's pages through the preparer door, signs as the client, declares who helped,
submits through the same gate, and gets every email a representative would get."""

import uuid

import pytest
import time_machine
from django.urls import reverse

from accounts.errors import WrongState
from accounts.models import OutboxEmail
from applications import signatures, staff, submission
from applications.models import Application, SignatureEvent
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.conftest import signed_in
from tests.forms_imm.helpers import TODAY
from tests.individuals.helpers import make_individual, make_own_application
from tests.staff.helpers import SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
EVIDENCE = {"ip": "203.0.113.9", "user_agent": "pytest"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def url(name, application):
    return reverse(f"applications:{name}", kwargs={"public_id": application.public_id})


@pytest.fixture
def individual():
    return make_individual("ivy@example.test")


@pytest.fixture
def browser(individual):
    return signed_in(individual)


def test_home_offers_to_start_and_the_form_starts_a_self_represented_application(
    browser, individual
):
    home = browser.get("/en/client/")
    assert 'href="/en/client/applications/new/"' in home.content.decode()
    page = browser.get("/en/client/applications/new/")
    assert page.status_code == 200
    program = (
        page.context["form"].fields["program"].queryset.get(code="family_spouse_partner_child")
    )
    bad = browser.post("/en/client/applications/new/", {"program": program.pk})
    assert bad.status_code == 200 and bad.context["form"].errors["family_name"]
    response = browser.post(
        "/en/client/applications/new/",
        {"family_name": "Indie", "given_names": "Ivy", "program": program.pk},
    )
    application = Application.objects.get(client__user=individual)
    assert response["Location"] == url("detail", application)
    assert application.representative is None and application.is_self_represented
    pa = application.principal_applicant
    assert (pa.family_name, pa.given_names, pa.email) == ("Indie", "Ivy", "ivy@example.test")
    assert application.events.filter(action="application.created", actor=individual).exists()
    detail = browser.get(url("detail", application))
    assert detail.status_code == 200
    assert "Client Information" not in detail.content.decode()
    listed = browser.get("/en/client/").content.decode()
    assert url("detail", application) in listed
    # The same program twice is refused next to the field.
    again = browser.post(
        "/en/client/applications/new/",
        {"family_name": "Indie", "given_names": "Ivy", "program": program.pk},
    )
    assert again.status_code == 200 and again.context["form"].errors["program"]


def test_an_individual_never_reaches_another_persons_application(browser, individual):
    other = make_own_application(make_individual("other@example.test"))
    rep_prepared = factories.make_application()
    mine = make_own_application(individual)
    assert browser.get(url("detail", mine)).status_code == 200
    for application in (other, rep_prepared):
        for name in ("detail", "documents", "submit", "history", "program_details"):
            assert browser.get(url(name, application)).status_code == 404, name
        assert browser.get(f"/en/client/applications/{application.public_id}/").status_code == 404


def test_a_client_of_a_representative_cannot_prepare_their_application(client_a, application_a):
    assert client_a.get(url("detail", application_a)).status_code == 404
    assert client_a.post(url("send_for_signature", application_a)).status_code == 404


def test_the_whole_application_signs_declares_submits_and_emails_the_individual(
    browser, individual
):
    application = make_own_application(individual)
    make_ready(browser, application)
    response = browser.post(url("send_for_signature", application))
    assert response["Location"] == url("sign", application)
    application.refresh_from_db()
    for entry in signatures.required_signatures(application):
        signatures.signature_sign(
            application=application, key=entry.key, typed_text=entry.expected_name,
            attested=True, user=individual, evidence=EVIDENCE,
        )  # fmt: skip
    application.refresh_from_db()
    assert application.status == "client_signed"
    page = browser.get(url("submit", application))
    assert "Your declaration" in page.content.decode()
    assert "Representative declaration" not in page.content.decode()
    # Naming a helper needs their name, relationship and whether they were paid.
    bad = browser.post(
        url("submit", application), {"action": "declare", "declare": "on", "helped": "named"}
    )
    assert bad.status_code == 400
    assert set(bad.context["declaration"].errors) == {
        "helper_name", "helper_relationship", "helper_paid"
    }  # fmt: skip
    assert bad.context["declaration"].data["helped"] == "named"
    ok = browser.post(
        url("submit", application),
        {"action": "declare", "declare": "on", "helped": "named", "helper_name": "Ann Aide",
         "helper_relationship": "Community centre", "helper_paid": "no"},
    )  # fmt: skip
    assert ok.status_code == 302, ok.content.decode()[:3000]
    assert ok["Location"] == url("submit", application)
    declaration = SignatureEvent.objects.get(application=application, form_key="rep_declaration")
    assert declaration.capacity == "self" and declaration.signer == individual
    assert '"assistance":{"helped":true,"name":"Ann Aide"' in declaration.content_json
    assert submission.submission_gate(application) == []
    OutboxEmail.objects.all().delete()
    browser.post(url("submit", application), {"submission_token": str(uuid.uuid4())})
    application.refresh_from_db()
    assert application.status == "submitted" and application.application_number
    # One confirmation: the individual is both the preparer and the client.
    sent = list(OutboxEmail.objects.values_list("to", "key"))
    assert len(sent) == 1 and sent[0][0] == "ivy@example.test"
    assert sent[0][1].startswith("submitted-client:")
    # Staff process it like any other; the individual is told once.
    supervisor = make_staff_in(SUPERVISOR)
    staff.staff_action(application=application, code="check_start", actor=supervisor)
    OutboxEmail.objects.all().delete()
    staff.staff_action(
        application=application, code="return_incomplete", actor=supervisor,
        reasons=["missing_item"],
    )  # fmt: skip
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["ivy@example.test"]
    # The individual reopens it, signs again, declares again and resubmits the same application.
    assert "Reopen the application" in browser.get(url("detail", application)).content.decode()
    assert browser.post(url("reopen", application)).status_code == 302
    application.refresh_from_db()
    assert application.status == "draft"
    assert [m.code for m in submission.submission_gate(application)][-1] == "declaration"
    browser.post(url("send_for_signature", application))
    application.refresh_from_db()
    for entry in signatures.required_signatures(application):
        signatures.signature_sign(
            application=application, key=entry.key, typed_text=entry.expected_name,
            attested=True, user=individual, evidence=EVIDENCE,
        )  # fmt: skip
    browser.post(
        url("submit", application), {"action": "declare", "declare": "on", "helped": "no_paid_help"}
    )
    browser.post(url("submit", application), {"submission_token": str(uuid.uuid4())})
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submissions.count() == 2


def test_only_a_returned_application_is_reopened_by_its_preparer(individual, rep_a_user):
    application = make_own_application(individual)
    with pytest.raises(WrongState):
        submission.application_reopen(application=application, actor=individual)
    Application.objects.filter(pk=application.pk).update(status="returned_incomplete")
    with pytest.raises(WrongState):
        submission.application_reopen(application=application, actor=rep_a_user)


def test_the_representative_declaration_is_refused_without_the_assistance_answer(individual):
    application = make_own_application(individual)
    Application.objects.filter(pk=application.pk).update(status="client_signed")
    application.refresh_from_db()
    with pytest.raises(WrongState):
        submission.representative_declare(
            application=application, actor=individual, evidence=EVIDENCE
        )


def test_a_program_stopping_warns_the_individual_with_a_draft_in_it(individual, application_a):
    from applications.intake import program_intake_change
    from tests.staff.helpers import PROGRAM_ADMIN

    application = make_own_application(individual)
    OutboxEmail.objects.all().delete()
    program_intake_change(
        program=application.program, state="paused", cap=None, actor=make_staff_in(PROGRAM_ADMIN)
    )
    warned = sorted(OutboxEmail.objects.values_list("to", flat=True))
    assert warned == sorted(["ivy@example.test", application_a.representative.user.email])
