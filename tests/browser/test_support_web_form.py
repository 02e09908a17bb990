"""Journeys: the technical-issue web form signed out (with screenshots, a bad one refused, a
mistake kept), then signed in with the status followed in the portal and a staff reply from
the admin. axe runs on every page, in English and French."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from applications.models import Program
from support.models import SupportRequest
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in
from tests.corpus import make_uploads as corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {"send": "Send the request", "error": "Error:",
           "status": "See the status of your requests",
           "add": "Send", "new": "New", "waiting": "Waiting for your reply"},
    "fr": {"send": "Envoyer la demande", "error": "Erreur", "status": "Voir l’état de vos demandes",
           "add": "Envoyer", "new": "Nouvelle", "waiting": "En attente de votre réponse"},
}  # fmt: skip


def sign_in_browser(page, live_server, user):
    cookie = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def visit(page, url_pattern, *, admin=False):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, preload=not admin)


@pytest.fixture
def images(tmp_path):
    good = tmp_path / "error-on-documents-page.png"
    good.write_bytes(corpus.good_png())
    photo = tmp_path / "phone-photo.jpg"
    photo.write_bytes(corpus.good_jpeg())
    fake = tmp_path / "not-really.png"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    return good, photo, fake


def fill_form(page, *, uci, email="visitor@example.test"):
    program = Program.objects.active().order_by("order").first()
    page.select_option("#id_category", "uploads")
    page.fill("#id_name", "Alex Visitor")
    page.fill("#id_email", email)
    page.fill("#id_uci", uci)
    page.fill("#id_application_number", "0000000")
    page.select_option("#id_program", str(program.pk))
    page.fill("#id_description", "The upload button does nothing on the documents page.")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_visitor_reports_an_issue_with_screenshots(page, lang, images):
    good, photo, fake = images
    text = TEXT[lang]
    page.goto(f"/{lang}/help/")
    visit(page, rf"/{lang}/help/$")
    page.locator(f'#main-content a[href="/{lang}/help/contact/"]').first.click()
    visit(page, rf"/{lang}/help/contact/$")

    # First try: a UCI typo and a file that is not an image.
    fill_form(page, uci="12345")
    page.set_input_files("#id_screenshots", [str(good), str(fake)])
    page.get_by_role("button", name=text["send"]).click()
    visit(page, rf"/{lang}/help/contact/$")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_uci']")).to_have_count(1)
    expect(summary.locator("a[href='#id_screenshots']")).to_have_count(1)
    assert page.title().startswith(text["error"])
    expect(page.locator("#id_name")).to_have_value("Alex Visitor")
    expect(page.locator("#id_description")).to_have_value(
        "The upload button does nothing on the documents page."
    )
    expect(page.locator("[role=status].alert-warning")).to_be_visible()  # select files again
    assert not SupportRequest.objects.exists()

    page.fill("#id_uci", "1111111111")
    page.set_input_files("#id_screenshots", [str(good), str(photo)])
    page.get_by_role("button", name=text["send"]).click()
    visit(page, rf"/{lang}/help/contact/sent/$")

    support_request = SupportRequest.objects.get()
    expect(page.locator(".reference")).to_have_text(support_request.reference)
    assert support_request.language == lang
    assert support_request.submitted_by is None
    assert "Chrom" in support_request.user_agent or "HeadlessChrome" in support_request.user_agent
    assert [s.file.kind for s in support_request.screenshots.select_related("file")] == [
        "png",
        "jpeg",
    ]
    email = OutboxEmail.objects.get(to="visitor@example.test")
    assert support_request.reference in email.body_text
    # The footer links to the form on every page, and so do the 404 and 403 pages.
    page.goto(f"/{lang}/no-such-page/")
    expect(page.locator(f'#main-content a[href="/{lang}/help/contact/"]')).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_signed_in_representative_follows_the_status_and_answers(
    page, live_server, lang, rep_a_user, images
):
    good, _photo, _fake = images
    text = TEXT[lang]
    sign_in_browser(page, live_server, rep_a_user)
    page.goto(f"/{lang}/help/contact/")
    visit(page, rf"/{lang}/help/contact/$")
    expect(page.locator("#id_email")).to_have_value("rep-a@example.test")
    expect(page.locator("#id_name")).to_have_value("CANARY-A Rep")
    fill_form(page, uci="00-0000-0001", email="rep-a@example.test")
    page.set_input_files("#id_screenshots", [str(good)])
    page.get_by_role("button", name=text["send"]).click()
    visit(page, rf"/{lang}/help/contact/sent/$")

    page.get_by_role("link", name=text["status"]).click()
    visit(page, rf"/{lang}/help/requests/$")
    support_request = SupportRequest.objects.get()
    row = page.locator("tbody tr", has_text=support_request.reference)
    expect(row).to_contain_text(text["new"])

    # Staff reply from the admin, asking for more.
    from support.services import support_request_reply

    staff = factories.make_staff(email="desk@example.test")
    support_request_reply(
        support_request=support_request, message="Which browser do you use?", actor=staff,
        then_status=SupportRequest.Status.WAITING_FOR_REPLY,
    )  # fmt: skip
    page.reload()
    expect(row).to_contain_text(text["waiting"])
    row.get_by_role("link").click()
    visit(page, rf"/{lang}/help/requests/{support_request.public_id}/$")
    expect(page.locator("main")).to_contain_text("Which browser do you use?")
    page.fill("#id_message", "Firefox 130 on Windows.")
    page.get_by_role("button", name=text["add"], exact=True).click()
    visit(page, rf"/{lang}/help/requests/{support_request.public_id}/$")
    expect(page.locator("main")).to_contain_text("Firefox 130 on Windows.")
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.IN_PROGRESS


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_staff_handle_the_request_in_the_admin(page, live_server, lang):
    from django.contrib.auth.models import Permission

    desk = factories.make_staff(email="desk@example.test")
    desk.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="support", codename__endswith="request")
    )
    support_request = factories.make_support_request(email="asker@example.test")
    sign_in_browser(page, live_server, desk)
    admin = f"/{lang}/{settings.ADMIN_URL_PATH}support/supportrequest/"

    page.goto(admin)
    visit(page, rf"{admin}$", admin=True)
    page.get_by_role("link", name=support_request.reference).click()
    visit(page, rf"{admin}{support_request.pk}/change/$", admin=True)
    page.locator(".object-tools button").click()  # "Assign to me"
    visit(page, rf"{admin}{support_request.pk}/change/$", admin=True)
    page.locator(f'a[href="{admin}{support_request.pk}/reply/"]').click()
    visit(page, rf"{admin}{support_request.pk}/reply/$", admin=True)
    page.fill("#id_message", "It works again: please try once more.")
    page.select_option("#id_then_status", "resolved")
    page.locator("input[type=submit]").click()
    visit(page, rf"{admin}{support_request.pk}/change/$", admin=True)

    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.RESOLVED
    assert support_request.assignee == desk
    assert OutboxEmail.objects.filter(to="asker@example.test", key__startswith="support:reply")
    expect(page.locator(".inline-related").last).to_contain_text(
        "It works again: please try once more."
    )
