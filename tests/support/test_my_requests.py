"""A signed-in sender sees the status of their own requests, and nobody else's."""

import uuid

import pytest

from accounts.models import AuditEvent
from support.models import SupportEvent, SupportRequest
from support.services import (
    support_request_reply,
    support_request_set_status,
)
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/en/help/requests/"


def detail(support_request, lang="en"):
    return f"/{lang}/help/requests/{support_request.public_id}/"


def test_the_list_shows_my_requests_with_their_status(rep_a, rep_a_user, rep_b_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)
    theirs = factories.make_support_request(submitted_by=rep_b_user)
    anonymous = factories.make_support_request()

    response = rep_a.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert mine.reference in html and "New" in html
    assert theirs.reference not in html and anonymous.reference not in html


def test_the_list_says_when_there_is_nothing(rep_a):
    assert "You have not reported any technical issue" in rep_a.get(LIST).content.decode()


def test_the_pages_need_a_sign_in(anon, rep_a_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)
    for url in (LIST, detail(mine)):
        response = anon.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/en/auth/login/")


def test_wrong_methods_are_refused(rep_a, rep_a_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)
    assert rep_a.post(LIST).status_code == 405
    assert rep_a.put(detail(mine)).status_code == 405


def test_the_detail_shows_status_and_replies_but_not_internal_notes(rep_a, rep_a_user, staff_user):
    from support.services import support_request_note

    mine = factories.make_support_request(submitted_by=rep_a_user)
    support_request_reply(
        support_request=mine, message="CANARY-REPLY try another browser", actor=staff_user,
        then_status=SupportRequest.Status.WAITING_FOR_REPLY,
    )  # fmt: skip
    support_request_note(support_request=mine, message="CANARY-NOTE internal", actor=staff_user)

    html = rep_a.get(detail(mine)).content.decode()
    assert "Waiting for your reply" in html
    assert "CANARY-REPLY try another browser" in html
    assert "CANARY-NOTE" not in html
    assert "CANARY description of the problem" in html
    assert rep_a.get(detail(mine, "fr")).status_code == 200


def test_another_persons_request_is_a_404(rep_a, rep_b_user, client_a):
    theirs = factories.make_support_request(submitted_by=rep_b_user)
    anonymous = factories.make_support_request()
    assert rep_a.get(detail(theirs)).status_code == 404
    assert rep_a.get(detail(anonymous)).status_code == 404
    assert client_a.get(detail(theirs)).status_code == 404
    assert rep_a.post(detail(theirs), {"message": "x"}).status_code == 404
    assert rep_a.get(f"/en/help/requests/{uuid.uuid4()}/").status_code == 404
    assert not SupportEvent.objects.filter(kind=SupportEvent.Kind.FOLLOW_UP).exists()


def test_staff_see_requests_only_in_the_admin(staff, staff_user, rep_b_user):
    theirs = factories.make_support_request(submitted_by=rep_b_user)
    assert staff.get(detail(theirs)).status_code == 404


def test_adding_information_puts_a_waiting_request_back_in_progress(rep_a, rep_a_user, staff_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)
    support_request_set_status(
        support_request=mine, to=SupportRequest.Status.WAITING_FOR_REPLY, actor=staff_user
    )

    response = rep_a.post(detail(mine), {"message": "CANARY-FOLLOW-UP it happens in Firefox"})

    assert response.status_code == 302 and response["Location"] == detail(mine)
    mine.refresh_from_db()
    assert mine.status == SupportRequest.Status.IN_PROGRESS
    follow_up = mine.events.get(kind=SupportEvent.Kind.FOLLOW_UP)
    assert follow_up.actor == rep_a_user and "Firefox" in follow_up.message
    assert AuditEvent.objects.filter(action="support_request.followed_up").count() == 1
    assert "CANARY-FOLLOW-UP" in rep_a.get(detail(mine)).content.decode()


def test_adding_information_to_a_closed_request_is_a_409(rep_a, rep_a_user, staff_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)
    support_request_set_status(
        support_request=mine, to=SupportRequest.Status.CLOSED, actor=staff_user
    )
    events = mine.events.count()

    response = rep_a.post(detail(mine), {"message": "more"})

    assert response.status_code == 409
    assert "This request is closed" in response.content.decode()
    assert mine.events.count() == events
    assert "This request is closed" in rep_a.get(detail(mine)).content.decode()


def test_empty_information_shows_the_error_and_saves_nothing(rep_a, rep_a_user):
    mine = factories.make_support_request(submitted_by=rep_a_user)

    response = rep_a.post(detail(mine), {"message": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter the information to add." in html
    assert not mine.events.filter(kind=SupportEvent.Kind.FOLLOW_UP).exists()


def test_the_list_uses_a_fixed_number_of_queries(rep_a, rep_a_user, django_assert_max_num_queries):
    for _ in range(3):
        factories.make_support_request(submitted_by=rep_a_user)
    rep_a.get(LIST)
    with django_assert_max_num_queries(12) as one:
        rep_a.get(LIST)
    for _ in range(20):
        factories.make_support_request(submitted_by=rep_a_user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        rep_a.get(LIST)
