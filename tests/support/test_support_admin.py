"""Staff handle technical issues in the admin: permissions, buttons, actions, screenshots."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, OutboxEmail
from applications.uploads import upload_check
from support.models import SupportEvent, SupportRequest
from tests import factories
from tests.conftest import signed_in
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db
ADMIN = f"/en/{settings.ADMIN_URL_PATH}support/supportrequest/"


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
    )
    return user


@pytest.fixture
def desk_user(db):
    return grant(
        factories.make_staff(email="desk@example.test"),
        "view_supportrequest",
        "change_supportrequest",
    )


@pytest.fixture
def desk(desk_user):
    return signed_in(desk_user)


@pytest.fixture
def viewer(db):
    return signed_in(
        grant(factories.make_staff(email="viewer@example.test"), "view_supportrequest")
    )


def screenshot():
    return upload_check(
        SimpleUploadedFile("s.png", corpus.good_png()), allowed_kinds={"png", "jpeg"}
    )


def test_the_list_filters_and_searches_by_reference(desk, desk_user):
    from support.services import support_request_assign

    first = factories.make_support_request()
    second = factories.make_support_request(category=SupportRequest.Category.FEES)
    support_request_assign(support_request=first, assignee=desk_user, actor=desk_user)

    html = " ".join(desk.get(ADMIN).content.decode().split())
    assert first.reference in html and second.reference in html
    assert "By status" in html and "By problem" in html and "By assigned to" in html

    found = desk.get(ADMIN, {"q": first.reference.lower()}).content.decode()
    assert first.reference in found and second.reference not in found
    fees = desk.get(ADMIN, {"category__exact": "fees"}).content.decode()
    assert second.reference in fees and first.reference not in fees


def test_staff_without_permission_get_403(staff):
    support_request = factories.make_support_request()
    assert staff.get(ADMIN).status_code == 403
    assert staff.get(f"{ADMIN}{support_request.pk}/change/").status_code == 403
    assert staff.get(f"{ADMIN}{support_request.pk}/reply/").status_code == 403
    assert staff.post(f"{ADMIN}{support_request.pk}/assign-to-me/").status_code == 403


def test_people_outside_staff_are_sent_to_sign_in(anon, rep_a):
    support_request = factories.make_support_request()
    for client in (anon, rep_a):
        response = client.get(f"{ADMIN}{support_request.pk}/reply/")
        assert response.status_code == 302 and "login" in response["Location"]


def test_view_only_staff_see_the_request_but_no_buttons(viewer):
    support_request = factories.make_support_request()
    response = viewer.get(f"{ADMIN}{support_request.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "CANARY description of the problem" in html
    assert "Reply by email" not in html and "Assign to me" not in html
    assert viewer.get(f"{ADMIN}{support_request.pk}/reply/").status_code == 403
    assert viewer.post(f"{ADMIN}{support_request.pk}/status/", {"to": "closed"}).status_code == 403


def test_the_change_page_is_read_only_with_history_and_buttons(desk):
    support_request = factories.make_support_request(screenshots=[screenshot()])

    html = desk.get(f"{ADMIN}{support_request.pk}/change/").content.decode()

    assert "Reply by email" in html and "Change the status" in html and "Assign to me" in html
    assert 'name="_save"' not in html
    assert 'name="description"' not in html  # submitted data is not editable
    assert "Request sent" in html  # the history inline
    assert "Download screenshot 1" in html


def test_posting_the_change_form_changes_nothing(desk):
    support_request = factories.make_support_request()
    desk.post(f"{ADMIN}{support_request.pk}/change/", {"status": "closed", "email": "x@x.test"})
    support_request.refresh_from_db()
    assert support_request.status == "new" and support_request.email != "x@x.test"


def test_reply_queues_an_email_and_writes_history(desk, desk_user):
    support_request = factories.make_support_request(email="asker@example.test")
    url = f"{ADMIN}{support_request.pk}/reply/"

    page = desk.get(url)
    assert page.status_code == 200 and "Then set the status to" in page.content.decode()

    response = desk.post(url, {"message": "Try again now.", "then_status": "waiting_for_reply"})

    assert response.status_code == 302 and response["Location"].endswith(
        f"{support_request.pk}/change/"
    )
    support_request.refresh_from_db()
    assert support_request.status == "waiting_for_reply"
    reply = support_request.events.get(kind=SupportEvent.Kind.REPLIED)
    assert reply.actor == desk_user and reply.message == "Try again now."
    assert (
        OutboxEmail.objects.filter(to="asker@example.test", key__startswith="support:reply").count()
        == 1
    )


def test_an_empty_reply_sends_nothing(desk):
    support_request = factories.make_support_request()
    response = desk.post(f"{ADMIN}{support_request.pk}/reply/", {"message": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not support_request.events.filter(kind="replied").exists()


def test_a_closed_request_cannot_be_replied_to(desk, desk_user):
    from support.services import support_request_set_status

    support_request = factories.make_support_request()
    support_request_set_status(support_request=support_request, to="closed", actor=desk_user)

    assert desk.get(f"{ADMIN}{support_request.pk}/reply/").status_code == 409
    response = desk.post(f"{ADMIN}{support_request.pk}/reply/", {"message": "x"})
    assert response.status_code == 409
    assert not support_request.events.filter(kind="replied").exists()
    assert desk.get(f"{ADMIN}{support_request.pk}/status/").status_code == 409


def test_status_button_offers_only_allowed_moves(desk):
    support_request = factories.make_support_request()
    url = f"{ADMIN}{support_request.pk}/status/"

    html = desk.get(url).content.decode()
    assert 'value="resolved"' in html and 'value="new"' not in html

    assert desk.post(url, {"to": "new"}).status_code == 200  # not a choice: form error
    assert desk.post(url, {"to": "resolved"}).status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == "resolved"


def test_assign_to_me_is_a_post(desk, desk_user):
    support_request = factories.make_support_request()
    url = f"{ADMIN}{support_request.pk}/assign-to-me/"
    assert desk.get(url).status_code == 405
    assert desk.post(url).status_code == 302
    support_request.refresh_from_db()
    assert support_request.assignee == desk_user and support_request.status == "in_progress"


def test_notes_stay_internal(desk, desk_user):
    support_request = factories.make_support_request()
    desk.post(f"{ADMIN}{support_request.pk}/note/", {"message": "Called the sender."})
    note = support_request.events.get(kind="note")
    assert note.actor == desk_user and note.message == "Called the sender."
    assert not OutboxEmail.objects.filter(key__startswith="support:reply").exists()


def test_list_actions_call_the_services(desk, desk_user):
    first = factories.make_support_request()
    second = factories.make_support_request()
    SupportRequest.objects.filter(pk=second.pk).update(status="closed")

    response = desk.post(
        ADMIN, {"action": "mark_resolved", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "resolved" and second.status == "closed"
    desk.post(ADMIN, {"action": "assign_to_me", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.assignee == desk_user


def test_screenshots_download_only_for_staff_who_may_view(desk, staff, rep_a, anon):
    support_request = factories.make_support_request(screenshots=[screenshot()])
    stored = support_request.screenshots.get().file
    url = f"{ADMIN}screenshot/{stored.public_id}/"

    response = desk.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert AuditEvent.objects.filter(action="file.downloaded", object_id=stored.public_id).exists()

    assert staff.get(url).status_code == 403
    assert rep_a.get(url).status_code == 302
    assert anon.get(url).status_code == 302
    assert desk.post(url).status_code == 405


def test_the_admin_list_uses_a_fixed_number_of_queries(desk, django_assert_max_num_queries):
    factories.make_support_request()
    desk.get(ADMIN)
    with django_assert_max_num_queries(30) as one:
        desk.get(ADMIN)
    for _ in range(10):
        factories.make_support_request()
    with django_assert_max_num_queries(len(one.captured_queries)):
        desk.get(ADMIN)
