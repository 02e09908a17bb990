"""An individual appoints a representative for one application, and revokes them (issue 10):
the representative gets that application only, from then on; the IMM 5476 slot appears; the
individual keeps read and sign access; after revocation the representative gets 404 again."""

import pytest
from django.urls import reverse

from applications.documents import document_slots
from applications.models import ApplicationEvent, RepresentativeAppointment
from tests import factories
from tests.conftest import signed_in
from tests.individuals.helpers import make_individual, make_own_application

pytestmark = pytest.mark.django_db


def url(name, application):
    return reverse(f"applications:{name}", kwargs={"public_id": application.public_id})


def client_url(name, application):
    return reverse(f"clients:{name}", kwargs={"public_id": application.public_id})


@pytest.fixture
def individual():
    return make_individual("ivy@example.test")


@pytest.fixture
def browser(individual):
    return signed_in(individual)


def slot_codes(application):
    return {slot.item.code for slot in document_slots(application) if slot.item is not None}


def test_appoint_then_revoke(browser, individual, rep_a_user, rep_a, rep_b):
    application = make_own_application(individual)
    other = make_own_application(individual, program_code="hc_in_canada")
    assert "imm5476" not in slot_codes(application)
    # Before: the representative has no access to either application.
    assert rep_a.get(url("detail", application)).status_code == 404
    page = browser.get(client_url("representative_appoint", application))
    assert page.status_code == 200
    unknown = browser.post(
        client_url("representative_appoint", application), {"identifier": "nobody@example.test"}
    )
    assert unknown.status_code == 200
    assert unknown.context["form"].errors["identifier"]
    assert unknown.context["form"].data["identifier"] == "nobody@example.test"
    response = browser.post(
        client_url("representative_appoint", application),
        {"identifier": rep_a_user.email.upper()},
    )
    assert response["Location"] == client_url("application", application)
    application.refresh_from_db()
    assert application.representative == rep_a_user.representative
    appointment = RepresentativeAppointment.objects.get(application=application)
    assert appointment.is_current and appointment.appointed_by == individual
    assert application.events.filter(
        action=ApplicationEvent.Action.REPRESENTATIVE_APPOINTED, actor=individual
    ).exists()
    assert "imm5476" in slot_codes(application)
    # The representative prepares this application, and only this one.
    assert rep_a.get(url("detail", application)).status_code == 200
    assert rep_a.get(url("documents", application)).status_code == 200
    assert rep_a.get(url("detail", other)).status_code == 404
    assert rep_b.get(url("detail", application)).status_code == 404
    # The individual reads and signs through the client pages; the preparer pages are closed.
    page = browser.get(client_url("application", application))
    assert page.status_code == 200
    # The timeline shows the appointment, so the page shows the panel to revoke it.
    assert page.context["appointment"] == appointment
    assert 'data-testid="appointment-panel"' in page.content.decode()
    assert "You appointed a representative" in page.content.decode()
    # They started it themselves: the timeline says so, not "your representative".
    assert "You started the application" in page.content.decode()
    assert "Your representative started the application" not in page.content.decode()
    french = browser.get(client_url("application", application).replace("/en/", "/fr/", 1))
    assert "Vous avez commencé la demande" in french.content.decode()
    assert browser.get(url("sign", application)).status_code == 200
    assert browser.get(url("detail", application)).status_code == 404
    assert browser.get(client_url("representative_appoint", application)).status_code == 409
    # Revoking: the representative loses access at once; the individual prepares it again.
    revoke = browser.post(client_url("representative_revoke", application))
    assert revoke["Location"] == url("detail", application)
    application.refresh_from_db()
    assert application.representative is None
    appointment.refresh_from_db()
    assert appointment.revoked_at is not None and appointment.revoked_by == individual
    assert application.events.filter(action=ApplicationEvent.Action.REPRESENTATIVE_REVOKED).exists()
    assert rep_a.get(url("detail", application)).status_code == 404
    assert rep_a.post(url("person_add", application), {}).status_code == 404
    assert browser.get(url("detail", application)).status_code == 200
    assert "imm5476" not in slot_codes(application)
    assert browser.post(client_url("representative_revoke", application)).status_code == 409


def test_only_the_applicant_appoints_and_only_verified_representatives(individual):
    from applications import appointments

    application = make_own_application(individual)
    pending = factories.make_representative(status="pending")
    assert appointments.representative_find(pending.user.email) is None
    stranger = make_individual("stranger@example.test")
    assert (
        signed_in(stranger).get(client_url("representative_appoint", application)).status_code
        == 404
    )


def test_the_read_only_client_page_leads_a_self_represented_applicant_to_their_own(
    browser, individual
):
    application = make_own_application(individual)
    response = browser.get(client_url("application", application))
    assert response["Location"] == url("detail", application)
    assert browser.get(client_url("correction_new", application)).status_code == 409
