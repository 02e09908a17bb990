"""The section page: GET, Save draft, Mark section complete, autosave, row actions, personas."""

import pytest
import time_machine
from django.urls import reverse

from applications.models import Application, ApplicationEvent, Person
from forms_imm.imm5669 import SECTIONS
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm.helpers import (
    BORN,
    TODAY,
    complete_posts,
    history_row,
    section_url,
    stored,
    table_post,
)

pytestmark = pytest.mark.django_db
SLUGS = [section.slug for section in SECTIONS]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN)
    person.refresh_from_db()
    return person


def post(client, application, person, slug, data, *, version=0, action="save", **headers):
    body = {**data, "expected_version": str(version)}
    if action:
        body["action"] = action
    return client.post(section_url(application, person, slug), body, **headers)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_section_page_opens_for_the_representative(rep_a, application_a, pa, slug):
    response = rep_a.get(section_url(application_a, pa, slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not started" in body
    assert 'name="expected_version" value="0"' in body
    assert "Mark section complete" in body and "Save draft" in body


def test_section_a_shows_profile_values_read_only_with_a_link_to_the_profile(
    rep_a, application_a, pa
):
    body = rep_a.get(section_url(application_a, pa, "personal")).content.decode()
    assert "CANARY-A-Family" in body and "1985-04-23" in body
    assert 'name="family_name"' not in body  # never an input in the form
    profile = reverse("applications:person_edit", args=[application_a.public_id, pa.public_id])
    assert f'href="{profile}"' in body and "Edit in profile" in body


@pytest.mark.parametrize("slug", SLUGS)
def test_save_draft_with_nothing_required_saves_and_redirects(rep_a, application_a, pa, slug):
    data = complete_posts()[slug]
    response = post(rep_a, application_a, pa, slug, data)
    assert response.status_code == 302
    assert response.url == section_url(application_a, pa, slug)
    row = stored(pa, slug)
    assert row.version == 1 and row.state == FormSection.State.IN_PROGRESS
    assert row.updated_by.email == "rep-a@example.test"
    event = ApplicationEvent.objects.get(action="form.section_saved")
    assert event.reason == f"imm5669.{slug}" and event.person_public_id == pa.public_id
    assert "CANARY" not in str(event.fields)


def test_a_draft_saves_whatever_is_missing(rep_a, application_a, pa):
    response = post(rep_a, application_a, pa, "personal", {"father_family_name": "Tremblay"})
    assert response.status_code == 302
    row = stored(pa, "personal")
    assert row.data["father_family_name"] == "Tremblay"
    assert row.data["mother_family_name"] == ""
    assert row.state == FormSection.State.IN_PROGRESS


@pytest.mark.parametrize("slug", SLUGS)
def test_mark_complete_with_every_answer_makes_the_section_complete(rep_a, application_a, pa, slug):
    response = post(rep_a, application_a, pa, slug, complete_posts()[slug], action="complete")
    assert response.status_code == 302
    row = stored(pa, slug)
    assert row.state == FormSection.State.COMPLETE, row.problems
    assert ApplicationEvent.objects.filter(action="form.section_completed").count() == 1
    page = rep_a.get(section_url(application_a, pa, slug)).content.decode()
    assert "Complete" in page and "There is a problem" not in page


def test_mark_complete_with_missing_answers_saves_and_shows_what_needs_attention(
    rep_a, application_a, pa
):
    response = post(
        rep_a, application_a, pa, "personal", {"father_family_name": "X"}, action="complete"
    )
    assert response.status_code == 302
    row = stored(pa, "personal")
    assert row.state == FormSection.State.NEEDS_ATTENTION
    assert row.data["father_family_name"] == "X"
    assert row.problems["count"] == 7
    page = rep_a.get(section_url(application_a, pa, "personal"))
    body = page.content.decode()
    assert "There is a problem" in body and "Needs attention" in body
    assert 'href="#id_mother_family_name"' in body
    assert body.count("Answer this to complete the section.") >= 7
    assert "<title>Error:" in body


def test_editing_a_complete_section_moves_it_back_to_in_progress(rep_a, application_a, pa):
    data = complete_posts()["personal"]
    post(rep_a, application_a, pa, "personal", data, action="complete")
    post(rep_a, application_a, pa, "personal", {**data, "native_name": "Мария"}, version=1)
    row = stored(pa, "personal")
    assert row.state == FormSection.State.IN_PROGRESS and row.version == 2


def test_autosave_answers_204_with_the_new_version_and_renews_the_session(rep_a, application_a, pa):
    response = post(
        rep_a, application_a, pa, "background", {"details": "typed"}, action="", HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 204
    assert response["X-Form-Version"] == "1"
    assert int(response["X-Session-Expires-In"]) > 0
    assert stored(pa, "background").data["details"] == "typed"
    again = post(
        rep_a,
        application_a,
        pa,
        "background",
        {"details": "typed more"},
        version=1,
        action="",
        HTTP_X_AUTOSAVE="1",
    )
    assert again["X-Form-Version"] == "2"


def test_autosave_keeps_one_history_row_per_editing_session(rep_a, application_a, pa):
    for version, text in enumerate(["a", "ab", "abc"]):
        post(
            rep_a,
            application_a,
            pa,
            "background",
            {"details": text},
            version=version,
            action="",
            HTTP_X_AUTOSAVE="1",
        )
    assert ApplicationEvent.objects.filter(action="form.section_saved").count() == 1
    assert stored(pa, "background").version == 3


def test_autosave_of_an_empty_page_stores_nothing(rep_a, application_a, pa):
    response = post(rep_a, application_a, pa, "background", {}, action="", HTTP_X_AUTOSAVE="1")
    assert response.status_code == 204 and response["X-Form-Version"] == "0"
    assert not FormSection.objects.exists()


def test_a_save_without_changes_writes_nothing(rep_a, application_a, pa):
    post(rep_a, application_a, pa, "background", {"details": "same"})
    before = Application.objects.get(pk=application_a.pk).updated_at
    response = post(
        rep_a, application_a, pa, "background", {"details": "same"}, version=1, HTTP_X_AUTOSAVE="1"
    )
    assert response["X-Form-Version"] == "1"
    assert ApplicationEvent.objects.filter(action="form.section_saved").count() == 1
    assert Application.objects.get(pk=application_a.pk).updated_at == before


def test_a_type_error_refuses_the_draft_keeps_what_was_typed_and_saves_nothing(
    rep_a, application_a, pa
):
    rows = [history_row("2016-13", present=True, activity="Typed activity")]
    response = post(rep_a, application_a, pa, "history", table_post("history", rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Enter a month as YYYY-MM, for example 2019-04." in body
    assert 'href="#id_history-0-start"' in body
    assert 'value="Typed activity"' in body and 'value="2016-13"' in body
    assert not FormSection.objects.exists()


def test_autosave_with_a_type_error_answers_422_and_saves_nothing(rep_a, application_a, pa):
    response = post(
        rep_a,
        application_a,
        pa,
        "education",
        {"years_elementary": "21"},
        action="",
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 422
    assert not FormSection.objects.exists()


def test_two_saves_from_the_same_version_conflict_and_nothing_is_overwritten(
    rep_a, application_a, pa
):
    post(rep_a, application_a, pa, "background", {"details": "first tab"})
    post(rep_a, application_a, pa, "background", {"details": "second tab"}, version=1)
    response = post(rep_a, application_a, pa, "background", {"details": "stale tab"}, version=1)
    assert response.status_code == 409
    body = response.content.decode()
    assert "This section was changed elsewhere" in body
    assert "second tab" in body and "stale tab" in body  # both values
    assert "Keep my version" in body and "Use the saved version" in body
    assert stored(pa, "background").data["details"] == "second tab"
    assert stored(pa, "background").version == 2


def test_keep_my_version_from_the_conflict_page_saves_the_typed_answers(rep_a, application_a, pa):
    post(rep_a, application_a, pa, "background", {"details": "theirs"})
    response = post(rep_a, application_a, pa, "background", {"details": "mine"})
    assert response.status_code == 409
    resubmit = dict(response.context["resubmit"])
    resubmit.update(expected_version=str(response.context["current_version"]), action="save")
    assert rep_a.post(section_url(application_a, pa, "background"), resubmit).status_code == 302
    assert stored(pa, "background").data["details"] == "mine"


def test_an_autosave_conflict_answers_409_and_writes_nothing(rep_a, application_a, pa):
    post(rep_a, application_a, pa, "background", {"details": "saved"})
    response = post(
        rep_a, application_a, pa, "background", {"details": "other"}, action="", HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 409
    assert stored(pa, "background").data["details"] == "saved"


@pytest.mark.parametrize(
    ("action", "expected", "anchor"),
    [
        ("add:history", ["A", "B", "C", None], "history-row-4"),
        ("remove:history:2", ["A", "C"], "history-row-2"),
        ("up:history:3", ["A", "C", "B"], "history-row-2"),
        ("down:history:1", ["B", "A", "C"], "history-row-2"),
        ("up:history:1", ["A", "B", "C"], "history-row-1"),
    ],
)
def test_row_buttons_work_without_javascript(rep_a, application_a, pa, action, expected, anchor):
    rows = [history_row("2016-01", "2017-01", activity=name) for name in "ABC"]
    post(rep_a, application_a, pa, "history", table_post("history", rows))
    ids = [row["id"] for row in stored(pa, "history").data["history"]]
    rows = [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)]
    data = {**table_post("history", rows), "row_action": action}
    response = post(rep_a, application_a, pa, "history", data, version=1)
    assert response.status_code == 302
    assert response.url == section_url(application_a, pa, "history") + f"#{anchor}"
    saved = stored(pa, "history").data["history"]
    assert [row.get("activity") for row in saved] == expected
    kept = {row["id"] for row in saved} & set(ids)
    assert len(kept) == len([name for name in expected if name])  # ids are stable


def test_the_section_page_rejects_other_methods(rep_a, application_a, pa):
    url = section_url(application_a, pa, "personal")
    assert rep_a.put(url).status_code == 405
    assert rep_a.delete(url).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(anon, application_a, pa):
    response = anon.get(section_url(application_a, pa, "personal"))
    assert response.status_code == 302 and "/auth/login/" in response.url
    response = anon.post(section_url(application_a, pa, "personal"), {"expected_version": "0"})
    assert response.status_code == 302
    assert not FormSection.objects.exists()


def test_the_client_and_a_pending_representative_cannot_edit(
    client_a, rep_pending, application_a, pa
):
    url = section_url(application_a, pa, "personal")
    assert client_a.get(url).status_code == 404
    assert (
        client_a.post(url, {"expected_version": "0", "father_family_name": "X"}).status_code == 404
    )
    pending = rep_pending.get(url)
    assert pending.status_code == 302 and "/representative/" in pending.url
    assert not FormSection.objects.exists()


@pytest.mark.parametrize("status", ["completeness_check", "submitted"])
def test_a_section_cannot_be_edited_unless_the_application_is_editable(
    rep_a, application_a, pa, status
):
    Application.objects.filter(pk=application_a.pk).update(status=status)
    url = section_url(application_a, pa, "background")
    assert rep_a.get(url).status_code == 409
    response = rep_a.post(url, {"expected_version": "0", "details": "x", "action": "save"})
    assert response.status_code == 409
    autosave = rep_a.post(url, {"expected_version": "0", "details": "x"}, HTTP_X_AUTOSAVE="1")
    assert autosave.status_code == 409
    assert not FormSection.objects.exists()
    assert not ApplicationEvent.objects.filter(action__startswith="form.").exists()


def test_the_service_checks_the_state_again_under_its_lock(rep_a, application_a, pa):
    from accounts.errors import WrongState
    from forms_imm import services
    from forms_imm.sections import get_section_or_404

    _form, section = get_section_or_404("imm5669", "background")
    Application.objects.filter(pk=application_a.pk).update(status="submitted")
    with pytest.raises(WrongState):
        services.form_section_save(
            application=application_a,  # the caller's copy still says "draft"
            person=pa,
            section=section,
            data={"details": "x"},
            expected_version=0,
            actor=rep_a_user_of(application_a),
        )
    assert not FormSection.objects.exists()


def rep_a_user_of(application):
    return application.representative.user


def test_a_child_under_18_has_no_imm5669(rep_a, application_a, pa):
    child = factories.make_person(
        application=application_a, relationship="02", date_of_birth=TODAY.replace(year=2015)
    )
    assert rep_a.get(section_url(application_a, child, "personal")).status_code == 404


def test_an_adult_child_and_the_spouse_have_their_own_imm5669(rep_a, application_a, pa):
    spouse = factories.make_person(application=application_a, relationship="10")
    adult = factories.make_person(
        application=application_a, relationship="02", date_of_birth=TODAY.replace(year=2005)
    )
    for person in (spouse, adult):
        assert rep_a.get(section_url(application_a, person, "history")).status_code == 200


@pytest.mark.parametrize(
    ("form", "slug"), [("imm5669", "nope"), ("imm9999", "personal"), ("imm5669", "Personal")]
)
def test_an_unknown_form_or_section_is_404(rep_a, application_a, pa, form, slug):
    assert rep_a.get(section_url(application_a, pa, slug, form=form)).status_code == 404


def test_a_person_of_another_application_is_404(rep_a, application_a, pa, rep_a_user):
    other = factories.make_application(representative=rep_a_user.representative)
    url = section_url(application_a, other.principal_applicant, "personal")
    assert rep_a.get(url).status_code == 404


def test_privileged_fields_posted_to_a_section_are_ignored(rep_a, application_a, pa):
    data = {"details": "x", "version": "99", "state": "complete", "updated_by": "1", "data": "{}"}
    post(rep_a, application_a, pa, "background", data)
    row = stored(pa, "background")
    assert row.version == 1 and row.state == FormSection.State.IN_PROGRESS
    assert set(row.data) == {*row.data} - {"version", "state", "updated_by", "data"}


def test_the_overview_lists_each_person_form_and_section_state(rep_a, application_a, pa):
    spouse = factories.make_person(
        application=application_a, relationship="10", family_name="Spouse-Family"
    )
    post(rep_a, application_a, pa, "personal", complete_posts()["personal"], action="complete")
    response = rep_a.get(reverse("forms_imm:overview", args=[application_a.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Spouse-Family" in body
    assert body.count("Section A: Personal details") == 2
    assert section_url(application_a, spouse, "addresses") in body
    assert "Complete" in body and "Not started" in body


def test_the_overview_personas(anon, client_a, rep_b, application_a, application_b):
    url = reverse("forms_imm:overview", args=[application_a.public_id])
    assert anon.get(url).status_code == 302
    assert client_a.get(url).status_code == 404
    assert rep_b.get(url).status_code == 404
    assert anon.post(url).status_code in (302, 405)


def test_after_an_idle_timeout_signing_in_again_leads_back_to_the_same_section(
    rep_a, application_a, pa
):
    from urllib.parse import parse_qs, urlparse

    from accounts import session_policy

    url = section_url(application_a, pa, "history")
    session = rep_a.session
    session[session_policy.LAST_ACTIVITY_KEY] = session_policy.now() - 26 * 60
    session.save()
    response = rep_a.post(url, {"expected_version": "0", "details": "x"}, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 302
    assert parse_qs(urlparse(response.url).query)["next"] == [url]
    assert not FormSection.objects.exists()
