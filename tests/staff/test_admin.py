"""The staff queue and actions in the admin: read-only, permission-checked, through services."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationEvent, DocumentRequest, StaffDecision
from tests import factories
from tests.conftest import signed_in
from tests.representatives.test_admin import count_queries
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:applications_application_changelist")


def act_url(application, code):
    return reverse("admin:applications_application_act", args=[application.pk, code])


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


@pytest.fixture
def officer():
    return signed_in(make_staff_in(OFFICER))


@pytest.fixture
def supervisor():
    return signed_in(make_staff_in(SUPERVISOR))


def _app(status, number="F000000001", **extra):
    return factories.make_application(status=status, application_number=number, **extra)


def test_queue_lists_submitted_applications_filters_and_searches(officer):
    submitted = _app("submitted", family_name="Queuetest", given_names="Ana")
    _app("accepted", number="F000000002", family_name="Otherone")
    _app("draft", number=None, family_name="Drafty")
    html = officer.get(QUEUE).content.decode()
    assert "Queuetest" in html and "Otherone" in html and "Drafty" not in html
    html = officer.get(QUEUE, {"status__exact": "submitted"}).content.decode()
    assert "Queuetest" in html and "Otherone" not in html
    html = officer.get(QUEUE, {"program__id__exact": submitted.program_id}).content.decode()
    assert "Queuetest" in html
    for term in ("queuetest", "F000000001"):
        html = officer.get(QUEUE, {"q": term}).content.decode()
        assert "Queuetest" in html and "Otherone" not in html, term


def test_queue_query_count_does_not_grow_with_the_applications(officer):
    _app("submitted", number="F000000100")
    officer.get(QUEUE)  # warm the caches a first request fills
    baseline = count_queries(officer, "/en/privacy/")
    at_1 = count_queries(officer, QUEUE)
    for n in range(24):
        _app("submitted", number=f"F0000002{n:02d}")
    at_25 = count_queries(officer, QUEUE)
    assert at_1 == at_25
    assert at_1 - baseline <= 8


def test_the_application_page_is_read_only_with_the_permitted_buttons(officer, supervisor):
    application = _app("in_process")
    html = supervisor.get(change_url(application)).content.decode()
    assert act_url(application, "approve") in html and act_url(application, "refuse") in html
    assert 'name="status"' not in html and 'name="_save"' not in html
    assert "Submissions and manifests" in html and 'id="signatures"' in html
    html = officer.get(change_url(application)).content.decode()
    assert act_url(application, "approve") not in html
    officer.post(change_url(application), {"status": "approved"})
    application.refresh_from_db()
    assert application.status == "in_process"


def test_an_officer_returns_an_application_as_incomplete(officer):
    application = _app("completeness_check")
    page = officer.get(act_url(application, "return_incomplete"))
    assert page.status_code == 200
    assert "Fee missing or underpaid" in page.content.decode()
    response = officer.post(
        act_url(application, "return_incomplete"),
        {
            "reasons": ["missing_item", "fee_missing"],
            "note": "Add the fee receipt.",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "returned_incomplete"
    decision = StaffDecision.objects.get(application=application)
    assert decision.reasons == ["missing_item", "fee_missing"]
    assert decision.note == "Add the fee receipt."


def test_a_return_without_reasons_shows_the_error_and_keeps_the_note(officer):
    application = _app("completeness_check")
    response = officer.post(
        act_url(application, "return_incomplete"), {"note": "Typed note", "confirm": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and "Typed note" in html
    application.refresh_from_db()
    assert application.status == "completeness_check"
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_an_action_in_the_wrong_state_shows_an_error(supervisor):
    application = _app("submitted")
    response = supervisor.post(act_url(application, "approve"), {"confirm": "on"})
    assert response.status_code == 200
    assert "not possible in the current state" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_opening_an_action_in_the_wrong_state_goes_back_with_the_reason(supervisor):
    # A stale link to an action the state no longer allows was a server error (unbound form).
    application = _app("submitted")
    response = supervisor.get(act_url(application, "approve"), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/application/{application.pk}/change/")
    assert "not possible in the current state" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_a_processing_officer_cannot_approve(officer):
    application = _app("in_process")
    assert officer.get(act_url(application, "approve")).status_code == 403
    assert officer.post(act_url(application, "approve"), {"confirm": "on"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "in_process"


def test_a_supervisor_approves(supervisor):
    application = _app("in_process")
    response = supervisor.post(act_url(application, "approve"), {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"


def test_staff_without_a_role_get_403(db):
    application = _app("submitted")
    client = signed_in(factories.make_staff())
    assert client.get(QUEUE).status_code == 403
    assert client.get(act_url(application, "check_start")).status_code == 403
    program_admin = signed_in(make_staff_in(PROGRAM_ADMIN))
    assert program_admin.get(QUEUE).status_code == 200
    assert (
        program_admin.post(act_url(application, "check_start"), {"confirm": "on"}).status_code
        == 403
    )


def test_representatives_clients_and_anonymous_never_reach_staff_actions(anon, rep_a, client_a):
    application = _app("completeness_check")
    for client in (anon, rep_a, client_a):
        for url in (QUEUE, act_url(application, "accept"), change_url(application)):
            response = client.post(url, {"confirm": "on"})
            assert response.status_code == 302 and "login" in response["Location"], url
    application.refresh_from_db()
    assert application.status == "completeness_check"


def test_requesting_documents_from_the_admin(officer):
    application = _app("accepted")
    url = reverse("admin:applications_application_request_documents", args=[application.pk])
    assert officer.get(url).status_code == 200
    response = officer.post(url, {"name": "Police certificate", "due_on": "2000-01-01"})
    assert response.status_code == 200
    assert "Give a due date after today." in response.content.decode()
    response = officer.post(url, {"name": "Police certificate", "due_on": "2099-01-01"})
    assert response.status_code == 302
    assert DocumentRequest.objects.get(application=application).name == "Police certificate"


def test_an_unknown_action_is_404(supervisor):
    application = _app("submitted")
    assert supervisor.get(act_url(application, "nonsense")).status_code == 404
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_an_officer_accepts_after_a_return_and_resubmission(officer):
    application = _app("completeness_check")
    officer.post(
        act_url(application, "return_incomplete"), {"reasons": ["fee_missing"], "confirm": "on"}
    )
    Application.objects.filter(pk=application.pk).update(status="submitted")
    assert officer.post(act_url(application, "check_start"), {"confirm": "on"}).status_code == 302
    assert officer.post(act_url(application, "accept"), {"confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"
    # Two decisions, several history rows: the page shows them without a query per row.
    assert officer.get(change_url(application)).status_code == 200


def test_staff_open_the_printable_forms_through_the_admin_only(officer, rep_b):
    application = _app("submitted")
    html = officer.get(change_url(application)).content.decode()
    pa = application.principal_applicant
    url = reverse(
        "admin:applications_application_print", args=[application.pk, pa.public_id, "imm5669"]
    )
    assert url in html
    page = officer.get(url)
    assert page.status_code == 200 and "5669" in page.content.decode()
    # Staff without a role, and other representatives, do not get it.
    assert signed_in(factories.make_staff()).get(url).status_code == 403
    assert rep_b.get(url).status_code == 302
    rep_url = reverse("forms_imm:print", args=[application.public_id, pa.public_id, "imm5669"])
    assert officer.get(rep_url).status_code == 404
