"""Journey (issue 3): a new representative signs up, confirms the email (link read from the
outbox), is made to enrol TOTP (the test computes the codes), fills the profile with an identity
document and sees "pending verification"; a staff member with MFA verifies them in the admin;
the representative then reaches their work. axe runs on every page, in English and French."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from representatives.models import Representative
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.representatives.conftest import grant_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "new.rep@example.test"
PASSPHRASE = "maple syrup canoe lighthouse"


def submit(page, name=None):
    if name:
        page.get_by_role("button", name=name).click()
    else:
        page.locator("#main-content form button[type=submit]").first.click()


def visit(page, url_pattern):
    """On the expected page: one h1, axe clean; then the same page in the other language."""
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    lang = page.locator("html").get_attribute("lang")
    other = "fr" if lang == "en" else "en"
    page.locator("a.language-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.locator("a.language-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def visit_admin(page, url_pattern):
    """The admin has no language toggle: axe on the page, then on its French address."""
    expect(page).to_have_url(re.compile(url_pattern))
    assert_accessible(page)
    english = page.url
    page.goto(english.replace("/en/", "/fr/", 1))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.goto(english)


def confirmation_path():
    for message in reversed(mail.outbox):
        if EMAIL in message.to:
            found = re.search(r"https?://[^/\s]+(/\S+/confirm-email/[^/\s]+/)", message.body)
            if found:
                return found[1]
    raise AssertionError("no confirmation email in the outbox")


def fill_profile(page, tmp_path):
    id_file = tmp_path / "passport.png"
    id_file.write_bytes(factories.png_bytes())
    page.check("#id_rep_type_0")  # member of the CICC
    page.select_option("#id_membership_body", "cicc")
    page.fill("#id_membership_id", "r123456")
    page.fill("#id_full_name", "Alex Martin")
    page.fill("#id_firm_name", "Martin Immigration")
    page.fill("#id_address_street", "1 Main Street")
    page.fill("#id_address_city", "Ottawa")
    page.select_option("#id_address_province", "ON")
    page.fill("#id_address_postal_code", "k1a0b1")
    page.fill("#id_phone", "613-555-0123")
    page.check("#id_id_document_type_0")  # passport
    page.set_input_files("#id_id_upload", str(id_file))


def staff_verifies_in_the_admin(browser, live_server, representative):
    staff = grant_verify(factories.make_staff(email="verifier@example.test"))
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(staff)
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    page = context.new_page()
    try:
        page.goto(reverse("admin:index"))
        visit(page, r"/en/auth/login/\?next=")
        page.fill("#id_login", staff.email)
        page.fill("#id_password", factories.PASSWORD)
        submit(page)
        visit(page, r"/en/auth/2fa/authenticate/$")
        page.fill("#id_code", factories.totp_code(secret))
        submit(page)
        visit_admin(page, r"/en/staff-admin/$")

        page.goto(
            reverse("admin:representatives_representative_changelist") + "?status__exact=pending"
        )
        expect(page.locator("#result_list")).to_contain_text("Alex Martin")
        visit_admin(
            page, r"/en/staff-admin/representatives/representative/\?status__exact=pending$"
        )
        page.get_by_role("link", name="Alex Martin").click()
        expect(page.locator("#content")).to_contain_text("R123456")
        expect(page.locator("img.id-document-preview")).to_be_visible()
        visit_admin(page, r"/en/staff-admin/representatives/representative/\d+/change/")
        submit(page, "Verify")
        expect(page.locator(".messagelist")).to_contain_text("verified")
        assert_accessible(page)
    finally:
        context.close()


def test_new_representative_is_verified_by_staff_and_reaches_their_work(
    page, browser, live_server, tmp_path
):
    factories.make_membership_body("cicc")

    # 1. Sign up, confirm the email with the link from the outbox, sign in.
    page.goto("/en/auth/signup/")
    visit(page, r"/en/auth/signup/$")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    submit(page)
    visit(page, r"/en/auth/confirm-email/$")
    page.goto(confirmation_path())
    visit(page, r"/confirm-email/.+/$")
    submit(page)
    visit(page, r"/en/auth/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    submit(page)

    # 2. TOTP enrolment is forced (allauth asks for the password again first).
    visit(page, r"/en/auth/reauthenticate/\?next=.*totp")
    page.fill("#id_password", PASSPHRASE)
    submit(page)
    visit(page, r"/en/auth/2fa/totp/activate/$")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", factories.totp_code(secret))
    submit(page)
    visit(page, r"/en/auth/2fa/recovery-codes/$")

    # 3. Their start page is the profile, until it is complete.
    page.goto("/en/start/")
    visit(page, r"/en/representative/profile/$")
    page.fill("#id_membership_id", "12345")
    submit(page, "Submit for verification")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    fill_profile(page, tmp_path)
    submit(page, "Submit for verification")
    visit(page, r"/en/representative/status/$")
    expect(page.locator("h1")).to_have_text("Your profile is waiting for verification")
    expect(page.locator(".profile-details")).to_contain_text("R123456")
    representative = Representative.objects.get(user__email=EMAIL)
    assert representative.status == Representative.Status.PENDING
    assert representative.id_document.kind == "png"

    # Client work stays closed while they wait.
    page.goto("/en/start/")
    expect(page).to_have_url(re.compile(r"/en/representative/status/$"))

    # 4. A staff member with MFA verifies them in the admin; the representative is emailed.
    staff_verifies_in_the_admin(browser, live_server, representative)
    representative.refresh_from_db()
    assert representative.status == Representative.Status.VERIFIED
    assert OutboxEmail.objects.filter(to=EMAIL, subject__contains="verified").exists()

    # 5. The representative now reaches their work.
    page.goto("/en/start/")
    try:
        dashboard = reverse("applications:dashboard")
    except NoReverseMatch:  # the dashboard (branch clientapps) is not there yet
        visit(page, r"/en/start/$")
    else:
        visit(page, re.escape(dashboard) + "$")
    page.goto("/en/representative/status/")
    visit(page, r"/en/representative/status/$")
    expect(page.locator("h1")).to_have_text("Your profile is verified")
