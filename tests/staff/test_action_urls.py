"""Every staff action over every URL (issue 8, "Must show"): each action page of the admin, with
the application in a state where the action is possible, refuses the representative and the
client of that very application, another representative, an individual and anonymous visitors
(sent to the sign-in page), and staff without the action's permission (403), on GET and POST;
nothing changes, no history row, no email. Staff with the permission reach the page.

The authorization matrix (tests/security/matrix.py) walks each URL name once, with one action
code; this walks every code of ``applications.staff.ACTIONS`` and every other staff page."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OutboxEmail
from applications import pr_confirmation, staff
from applications.models import Application, ApplicationEvent, ProgramIntake
from tests import factories
from tests.applications.pr_helpers import ADDRESS, active_client, approved_application, photo
from tests.conftest import signed_in
from tests.staff.cycle import act_url, admin_url
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db

# The status in which each action is possible (so a refusal is the permission's, not the state's).
ACTION_STATUS = {
    "check_start": "submitted",
    "return_incomplete": "completeness_check",
    "return_other": "completeness_check",
    "accept": "completeness_check",
    "process_start": "accepted",
    "approve": "in_process",
    "refuse": "in_process",
}
# Staff roles that lack each permission.
LACKING = {
    "applications.accept_application": (PROGRAM_ADMIN,),
    "applications.return_application": (PROGRAM_ADMIN,),
    "applications.request_documents": (PROGRAM_ADMIN,),
    "applications.decide_application": (OFFICER, PROGRAM_ADMIN),
    "applications.confirm_pr": (PROGRAM_ADMIN,),
    "applications.manage_intake": (OFFICER, SUPERVISOR),
}
HAVING = {
    "applications.accept_application": OFFICER,
    "applications.return_application": OFFICER,
    "applications.request_documents": OFFICER,
    "applications.decide_application": SUPERVISOR,
    "applications.confirm_pr": OFFICER,
    "applications.manage_intake": PROGRAM_ADMIN,
}


def test_the_tables_name_every_staff_action():
    assert set(ACTION_STATUS) == set(staff.ACTIONS)
    for code, status in ACTION_STATUS.items():
        assert staff.ACTIONS[code].to in Application.TRANSITIONS[status], code


def _submitted_in(status):
    return factories.make_application(
        status=status, application_number="F000000077", client=active_client()
    )


def _pr_waiting():
    """An approved application whose first person's photo waits for review."""
    application, _supervisor = approved_application(dependants=0, number="F000000078")
    confirmation = pr_confirmation.confirmations_for(application)[0]
    pr_confirmation.pr_confirmation_send(
        confirmation=confirmation, actor=application.client.user, in_canada=True,
        entered_canada_on=date(2026, 1, 5), address=ADDRESS, photo=photo(),
    )  # fmt: skip
    return application, confirmation.person.public_id


def _case(name):
    """(application, URL, permission, POST body) of one staff page."""
    if name in staff.ACTIONS:
        application = _submitted_in(ACTION_STATUS[name])
        body = {"confirm": "on", "note": "x"}
        action = staff.ACTIONS[name]
        if action.reasons:
            body["reasons"] = [action.reasons[0]]
        return application, act_url(application, name), action.permission, body
    if name == "request_documents":
        application = _submitted_in("accepted")
        body = {"name": "Police certificate", "due_on": "2099-01-01"}
        url = admin_url("request_documents", application)
        return application, url, "applications.request_documents", body
    if name == "intake":
        application = _submitted_in("submitted")
        url = reverse("admin:applications_program_intake", args=[application.program_id])
        return application, url, "applications.manage_intake", {"state": "closed"}
    application, person_id = _pr_waiting()
    body = {"pr_review": {"decision": "accept"}, "pr_confirm": {"confirm": "on"}}.get(name, {})
    return application, admin_url(name, application, person_id), "applications.confirm_pr", body


PAGES = [*staff.ACTIONS, "request_documents", "pr_review", "pr_confirm", "pr_photo", "intake"]


def _snapshot(application):
    application.refresh_from_db()
    return (
        application.status,
        ApplicationEvent.objects.filter(application=application).count(),
        OutboxEmail.objects.count(),
        application.document_requests.count(),
        list(application.pr_confirmations.values_list("state", flat=True)),
        list(ProgramIntake.objects.filter(program=application.program).values_list("state", "cap")),
    )


@pytest.mark.parametrize("name", PAGES)
def test_nobody_without_the_permission_reaches_a_staff_page(name):
    application, url, permission, body = _case(name)
    outsiders = {
        "anonymous": Client(),
        "its representative": signed_in(application.representative.user),
        "its client": signed_in(application.client.user),
        "another representative": signed_in(factories.make_representative().user),
        "an individual": signed_in(active_client().user),
    }
    refused_staff = {
        "staff in no group": signed_in(factories.make_staff()),
        **{f"staff in {role}": signed_in(make_staff_in(role)) for role in LACKING[permission]},
    }
    before = _snapshot(application)
    for who, browser in outsiders.items():
        for response in (browser.get(url), browser.post(url, body)):
            assert response.status_code == 302, (who, response.status_code)
            assert "/login/" in response["Location"], (who, response["Location"])
    for who, browser in refused_staff.items():
        assert browser.get(url).status_code == 403, who
        assert browser.post(url, body).status_code in (403, 405), who
    assert _snapshot(application) == before
    allowed = signed_in(make_staff_in(HAVING[permission]))
    assert allowed.get(url).status_code in (200, 302)
    if name in staff.ACTIONS or name in ("request_documents", "pr_review"):
        # The same POST works for the right role: the refusals above were the permission's.
        assert allowed.post(url, body).status_code == 302
        assert _snapshot(application) != before
