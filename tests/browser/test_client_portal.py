"""Journey: a client signs in with the temporary password from the invitation email, must
choose a password at once, sees their application and its timeline, opens a form's review,
and sends a correction request, which the representative then sees and marks as dealt with.
axe runs on every page, in English and in French; the client's forms are used with the keyboard.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications import services as application_services
from applications.models import Program
from clients.models import Client, CorrectionRequest
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "maple syrup over granite 77"
MESSAGE = "My birth city is Lyon, not Lille."


def check_both_languages(page):
    assert_accessible(page)
    english = page.url
    page.goto(re.sub(r"/en/", "/fr/", english, count=1))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.goto(english)


def test_client_signs_in_reviews_and_asks_for_a_correction(browser, page, live_server, outbox):
    rep = factories.make_representative(email="rep-portal@example.test", full_name="Rep Portal")
    application = application_services.application_create(
        representative=rep,
        family_name="Tremblay",
        given_names="Marie",
        email="marie@example.test",
        program=Program.objects.get(code="family_spouse_partner_child"),
        actor=rep.user,
    )
    factories.make_document(
        application=application, display_name="Tremblay – Marie – Passport – 1.pdf"
    )
    (invitation,) = outbox.to("marie@example.test", "client_temporary_password")
    temporary = invitation["context"]["temporary_password"]

    # Sign in through the one sign-in page, with the keyboard.
    page.goto("/en/auth/login/")
    check_both_languages(page)
    page.locator("#id_login").focus()
    page.keyboard.type("marie@example.test")
    page.keyboard.press("Tab")
    page.keyboard.type(temporary)
    page.keyboard.press("Enter")

    # A new password, before anything else.
    expect(page.locator("h1")).to_have_text("Choose your password")
    check_both_languages(page)
    page.goto("/en/client/")
    expect(page.locator("h1")).to_have_text("Choose your password")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "short")
    page.get_by_role("button", name="Save my password").click()
    expect(page.locator(".error-summary")).to_contain_text("at least 12 characters")
    assert_accessible(page)
    page.locator("#id_password1").focus()
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")

    # My applications.
    expect(page.locator("h1")).to_have_text("My applications")
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    assert Client.objects.get(user__email="marie@example.test").activated_at is not None
    assert outbox.to("marie@example.test", "client_account_activated")
    table = page.get_by_test_id("client-applications")
    expect(table).to_contain_text("Rep Portal")
    expect(table).to_contain_text("Draft")
    check_both_languages(page)

    # The application, read-only, with its timeline.
    page.get_by_role("link", name=application.program.name_en).click()
    expect(page.locator("h1")).to_contain_text("My application")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Your representative started the application")
    expect(timeline).to_contain_text("You chose your password and your account became active")
    expect(page.get_by_role("link", name=re.compile("Edit"))).to_have_count(0)
    check_both_languages(page)

    # A document's read-only preview, and back.
    page.get_by_role("link", name="Tremblay – Marie – Passport – 1.pdf").click()
    expect(page.locator("h1")).to_contain_text("Preview of")
    expect(page.locator("img.preview-page")).to_have_count(1)
    check_both_languages(page)
    page.get_by_role("link", name="Back to my application").click()

    # A form's review, and back.
    page.get_by_role("link", name=re.compile("IMM 5669")).first.click()
    expect(page.locator("h1")).to_contain_text("Schedule A")
    check_both_languages(page)
    page.get_by_role("link", name="Back to my application").click()

    # A correction request, typed with the keyboard, with its live counter.
    page.get_by_role("link", name="Ask for a correction").click()
    expect(page.locator("h1")).to_have_text("Ask for a correction")
    check_both_languages(page)
    page.get_by_role("button", name="Send to my representative").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose what needs correcting.")
    assert_accessible(page)
    page.select_option("#id_about", label="Something else")
    page.locator("#id_message").focus()
    page.keyboard.type(MESSAGE)
    expect(page.locator("#id_message_counter")).to_have_text(f"{len(MESSAGE)} of 2000 characters")
    page.locator("#id_message").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your request was sent to your representative.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "You asked your representative for a correction"
    )
    assert CorrectionRequest.objects.get().message == MESSAGE
    assert outbox.to("rep-portal@example.test", "correction_requested")

    # The representative sees it on the application's page and marks it as dealt with.
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(rep.user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    rep_page = context.new_page()
    rep_page.goto(f"/en/applications/{application.public_id}/")
    panel = rep_page.get_by_test_id("correction-requests")
    expect(panel).to_contain_text(MESSAGE)
    check_both_languages(rep_page)
    panel.get_by_role("button", name=re.compile("Mark as dealt with")).click()
    expect(rep_page.get_by_text("The correction request is marked as dealt with.")).to_be_visible()
    expect(rep_page.get_by_test_id("correction-requests")).to_contain_text(
        "No open correction request."
    )
    context.close()
    assert CorrectionRequest.objects.get().status == "resolved"

    page.reload()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Your representative dealt with a correction you asked for"
    )
