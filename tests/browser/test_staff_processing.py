"""Journey (issue 8): a staff member with MFA opens the queue and returns an application as
incomplete with two reasons; the representative sees the flag and the reasons on the dashboard
and the application page; after it is submitted again (by the factories), staff accept it and
request a document, and the representative sees the request. axe on every page, EN and FR."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from tests import factories
from tests.browser.conftest import assert_accessible, signed_in_page
from tests.browser.test_representative_onboarding import submit, visit
from tests.staff.helpers import SUPERVISOR, make_staff_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_page(page, url_pattern):
    """An admin page: axe (admin forms without preload, see assert_accessible) in EN and FR."""
    expect(page).to_have_url(re.compile(url_pattern))
    assert_accessible(page, preload=False)
    english = page.url
    page.goto(english.replace("/en/", "/fr/", 1))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page, preload=False)
    page.goto(english)


def staff_signs_in(page, group=SUPERVISOR, email="officer@example.test"):
    user = make_staff_in(group, email=email)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(user)
    page.goto(reverse("admin:index"))
    page.fill("#id_login", user.email)
    page.fill("#id_password", factories.PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/en/auth/2fa/authenticate/$"))
    page.fill("#id_code", factories.totp_code(secret))
    submit(page)
    expect(page).to_have_url(re.compile(r"/en/staff-admin/$"))


def take_action(page, action, *, check=(), note=""):
    page.locator(".object-tools").get_by_role("link", name=action).click()
    admin_page(page, r"/act/[a-z_]+/")
    for label in check:
        page.get_by_label(label).check()
    if note:
        page.get_by_label("Note to the representative and the client").fill(note)
    # The confirmation box, ticked with the keyboard.
    page.get_by_label("I confirm this action").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name=action).click()
    expect(page.locator(".messagelist")).to_contain_text(action)


REASONS = ("Fee missing or underpaid", "Missing signature")


def return_incomplete(page, note=""):
    """From the admin application page: start the check, return it with two reasons."""
    take_action(page, "Start the completeness check")
    take_action(page, "Return as incomplete", check=REASONS, note=note)
    expect(page.locator("#content")).to_contain_text("Returned as incomplete")


def dashboard_shows_the_return(rep_page):
    """The representative's dashboard flags the application with the reasons; axe EN/FR."""
    rep_page.goto("/en/applications/")
    flags = rep_page.locator('[data-testid="return-reasons"]')
    for reason in REASONS:
        expect(flags).to_contain_text(reason)
    visit(rep_page, r"/en/applications/$")


def request_document(page, name):
    """From the admin application page: request a document due in 30 days; the due date."""
    page.locator(".object-tools").get_by_role("link", name="Request additional documents").click()
    admin_page(page, r"/request-documents/")
    page.get_by_label("Document requested").fill(name)
    due = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Due on").fill(due.isoformat())
    page.get_by_role("button", name="Request additional documents").click()
    expect(page.locator(".messagelist")).to_contain_text("Documents requested.")
    return due


def accept_and_request_a_document(page, rep_page, name="Police certificate from France"):
    """Staff start the check, accept and request a document; the representative's application
    page (open in ``rep_page``) lists the request with its due date; axe EN/FR."""
    take_action(page, "Start the completeness check")
    take_action(page, "Accept into processing")
    due = request_document(page, name)
    rep_page.reload()
    requests = rep_page.locator('[data-testid="document-requests"]')
    expect(requests).to_contain_text(name)
    expect(requests).to_contain_text(due.isoformat())
    visit(rep_page, r"/en/applications/[0-9a-f-]+/$")


def test_staff_return_accept_and_request_documents(browser, live_server, page):
    rep = factories.make_representative(email="rep-staff@example.test", full_name="Rep Staff")
    application = factories.make_application(
        representative=rep,
        family_name="Lavoie",
        given_names="Chloé",
        status=Application.Status.SUBMITTED,
        application_number="F000000042",
    )
    rep_page = signed_in_page(browser, live_server, rep.user)
    try:
        staff_signs_in(page)
        page.goto(reverse("admin:applications_application_changelist"))
        page.locator("#searchbar").fill("Lavoie")
        page.keyboard.press("Enter")
        expect(page.locator("#result_list")).to_contain_text("F000000042")
        admin_page(page, r"/staff-admin/applications/application/\?q=Lavoie$")
        page.locator("#result_list").get_by_role("link", name="F000000042").click()
        admin_page(page, r"/staff-admin/applications/application/\d+/change/")
        expect(page.locator("#signatures")).to_contain_text("Signatures")
        expect(page.locator("#content")).to_contain_text("Submissions and manifests")

        return_incomplete(page)
        dashboard_shows_the_return(rep_page)
        rep_page.get_by_role("link", name=re.compile("Lavoie")).click()
        flag = rep_page.locator('[data-testid="staff-return"]')
        expect(flag).to_contain_text("Fee missing or underpaid")
        expect(flag).to_contain_text("Missing signature")
        visit(rep_page, r"/en/applications/[0-9a-f-]+/$")

        # Completed and submitted again (the submission service is another branch's).
        Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
        page.reload()
        accept_and_request_a_document(page, rep_page)
        expect(rep_page.locator('[data-testid="staff-return"]')).to_have_count(0)
    finally:
        rep_page.context.close()
