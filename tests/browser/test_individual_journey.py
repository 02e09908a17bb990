"""Journey (issue 10): an individual signs up from the sign-in page, confirms the email (link
read from the outbox), starts an application as its principal applicant, completes it, signs
it, declares that no paid representative helped and submits it; staff return it as incomplete
and the individual reopens, signs again and resubmits. axe in English and French."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import OutboxEmail, User
from applications import signatures, staff
from applications.models import Application, Program
from tests.applications.submission_helpers import make_ready
from tests.browser.conftest import assert_accessible
from tests.browser.test_representative_onboarding import visit
from tests.conftest import signed_in
from tests.staff.helpers import SUPERVISOR, make_staff_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "ivy.individual@example.test"
PASSPHRASE = "maple syrup canoe lighthouse"


def confirmation_path():
    for message in reversed(mail.outbox):
        if EMAIL in message.to:
            found = re.search(r"https?://[^/\s]+(/\S+/confirm-email/[^/\s]+/)", message.body)
            if found:
                return found[1]
    raise AssertionError("no confirmation email in the outbox")


def on(page, url_pattern):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def sign_everything(page, application, base):
    page.goto(f"{base}/sign/")
    on(page, rf"{base}/sign/$")
    application.refresh_from_db()
    for entry in signatures.required_signatures(application):
        if entry.is_valid:
            continue
        item = page.locator(f'section[data-item="{entry.key}"]')
        item.locator('input[name$="typed_name"]').fill(entry.expected_name)
        item.locator('input[type="checkbox"]').check()
        item.locator('button[type="submit"]').press("Enter")
        on(page, rf"{base}/sign/$")
    expect(page.locator('[data-testid="sign-closed"]')).to_be_visible()


def declare_and_submit(page, base):
    page.goto(f"{base}/submit/")
    on(page, rf"{base}/submit/$")
    page.locator("#id_declare").check()
    page.locator('input[name="helped"][value="no_paid_help"]').check()
    page.locator('input[name="action"][value="declare"] ~ button').press("Enter")
    expect(page.locator('[data-testid="ready"]')).to_be_visible()
    page.locator('input[name="submission_token"] ~ button').press("Enter")
    on(page, rf"{base}/submission/$")


def test_an_individual_applies_without_a_representative(page, live_server):
    page.set_default_timeout(60_000)  # submission renders the package in the request
    # 1. From the sign-in page to the individual sign-up; confirm the email; sign in.
    page.goto("/en/auth/login/")
    page.get_by_role("link", name="Create an individual account").click()
    visit(page, r"/en/individual/signup/$")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    page.locator("#main-content form button[type=submit]").first.click()
    on(page, r"/en/auth/confirm-email/$")
    page.goto(confirmation_path())
    on(page, r"/confirm-email/.+/$")
    page.locator("#main-content form button[type=submit]").first.click()
    on(page, r"/en/auth/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSPHRASE)
    page.locator("#id_password").press("Enter")
    # No MFA is forced: straight to "My applications".
    visit(page, r"/en/client/$")
    user = User.objects.get(email=EMAIL)
    assert user.role == "client"

    # 2. Start an application: a name error first (nothing typed is lost), then the program.
    page.get_by_role("link", name="Start an application").click()
    visit(page, r"/en/client/applications/new/$")
    program = Program.objects.get(code="family_spouse_partner_child")
    page.select_option("#id_program", str(program.pk))
    page.fill("#id_given_names", "Ivy")
    page.locator("#main-content form button[type=submit]").first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("#id_given_names")).to_have_value("Ivy")
    page.fill("#id_family_name", "Individual")
    page.locator("#main-content form button[type=submit]").first.click()
    application = Application.objects.get(client__user=user)
    base = f"/en/applications/{application.public_id}"
    visit(page, rf"{base}/$")
    assert application.representative is None

    # 3. The profiles, forms and documents the gate needs, through the same pages (helper).
    make_ready(signed_in(user), application)
    page.reload()
    on(page, rf"{base}/$")
    page.get_by_role("button", name="Review done: go to signing").click()
    on(page, rf"{base}/sign/$")
    sign_everything(page, application, base)

    # 4. The individual's declaration (not a representative's), then submission.
    page.goto(f"{base}/submit/")
    visit(page, rf"{base}/submit/$")
    expect(page.locator("#declaration")).to_have_text("Your declaration")
    declare_and_submit(page, base)
    application.refresh_from_db()
    assert application.status == "submitted"
    sent = OutboxEmail.objects.filter(key__startswith="submitted-")
    assert [e.to for e in sent] == [EMAIL]

    # 5. Staff return it as incomplete; the individual sees why and reopens it.
    supervisor = make_staff_in(SUPERVISOR)
    staff.staff_action(application=application, code="check_start", actor=supervisor)
    staff.staff_action(
        application=application, code="return_incomplete", actor=supervisor,
        reasons=["missing_item"],
    )  # fmt: skip
    assert OutboxEmail.objects.filter(to=EMAIL, key__startswith="staff-decision:").count() == 1
    page.goto(f"{base}/")
    visit(page, rf"{base}/$")
    expect(page.locator('[data-testid="staff-return"]')).to_be_visible()
    page.get_by_role("button", name="Reopen the application to complete it").click()
    on(page, rf"{base}/$")
    page.get_by_role("button", name="Review done: go to signing").click()
    sign_everything(page, application, base)
    declare_and_submit(page, base)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.submissions.count() == 2
