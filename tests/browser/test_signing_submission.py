"""Journey: send for signature, the client signs in with the temporary password, chooses a
password, reviews and signs; an edit invalidates only
the spouse's signature, re-signing, the declaration, submission and the package. axe EN/FR."""

import re

import pypdfium2
import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from applications.models import Application, Submission
from clients.services import client_invite
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.applications.test_signatures import save
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url_pattern):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def sign_item(page, key, name):
    item = page.locator(f'section[data-item="{key}"]')
    item.locator('input[name$="typed_name"]').fill(name)
    item.locator('input[type="checkbox"]').check()
    item.locator('button[type="submit"]').press("Enter")


@pytest.mark.parametrize(("lang", "mode"), [("en", "pa_signs_all"), ("fr", "each_adult_signs")])
def test_signing_and_submission_journey(
    browser, page, live_server, outbox, lang, mode, rep_a, rep_a_user
):
    # The client was invited with a temporary password (application_create does the same).
    email = f"journey-{lang}@example.test"
    client = client_invite(email=email, name="Alex Journey", actor=rep_a_user).client
    (invitation,) = outbox.to(email, "client_temporary_password")
    temporary = invitation["context"]["temporary_password"]
    application = factories.make_application(
        representative=rep_a_user.representative, client=client,
        family_name="Journey", given_names="Alex",
    )  # fmt: skip
    application.program.signing_mode = mode
    application.program.save()
    pa, spouse = make_ready(rep_a, application)
    base = f"/{lang}/applications/{application.public_id}"

    # The representative sends the application for signature.
    cookie = signed_in(rep_a_user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{base}/")
    visit(page, rf"{base}/$")
    page.locator('form[action$="/send-for-signature/"] button').click()
    expect(page.locator('[data-testid="signatures-panel"] .text-bg-secondary')).to_have_count(3)
    assert_accessible(page)

    # The client signs in with the temporary password, must choose their own password at
    # once, then signs each item.
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    client_page = context.new_page()
    client_page.goto(f"/{lang}/auth/login/?next={base}/sign/")
    client_page.fill("#id_login", email)
    client_page.fill("#id_password", temporary)
    client_page.locator("#id_password").press("Enter")
    expect(client_page.locator("#id_password1")).to_be_visible()
    client_page.goto(f"{base}/sign/")  # nothing else is open before the password is chosen
    expect(client_page.locator("#id_password1")).to_be_visible()
    client_page.fill("#id_password1", "correct horse battery staple 7")
    client_page.fill("#id_password2", "correct horse battery staple 7")
    client_page.locator("#id_password2").press("Enter")
    client.refresh_from_db()
    assert client.activated_at is not None
    client_page.goto(f"{base}/sign/")
    visit(client_page, rf"{base}/sign/$")
    # The client reads what they sign: the spouse's IMM 5669, read-only, laid out like the form.
    review = client_page.locator(f'a[href$="/forms/{spouse.public_id}/imm5669/print/"]')
    review.first.click()
    expect(client_page.locator("body")).to_contain_text(spouse.family_name)
    expect(client_page.locator("input, textarea, select")).to_have_count(0)
    client_page.go_back()
    visit(client_page, rf"{base}/sign/$")
    spouse_signer = spouse.full_name if mode == "each_adult_signs" else pa.full_name
    pa_key, spouse_key = f"imm5669:{pa.public_id}", f"imm5669:{spouse.public_id}"
    sign_item(client_page, spouse_key, "Wrong Name")
    expect(client_page.locator(".error-summary")).to_be_visible()
    assert_accessible(client_page)
    sign_item(client_page, pa_key, pa.full_name.upper())
    visit(client_page, rf"{base}/sign/$")
    sign_item(client_page, "consent_declaration", pa.full_name)  # the PA's IMM 0008 consent
    visit(client_page, rf"{base}/sign/$")
    sign_item(client_page, spouse_key, spouse_signer)
    visit(client_page, rf"{base}/sign/$")
    expect(client_page.locator('[data-testid="sign-closed"]')).to_be_visible()
    application.refresh_from_db()
    assert application.status == "client_signed"

    # The representative edits the spouse's IMM 5669: only that signature is needed again.
    from forms_imm.models import FormSection

    data = FormSection.objects.get(person=spouse, form="imm5669", section="personal").data
    save(application, spouse, "personal", {**data, "father_given_names": "Jacques"})
    page.goto(f"{base}/")
    visit(page, rf"{base}/$")
    expect(page.locator(f'[data-signature="{spouse_key}"] .text-bg-warning')).to_be_visible()
    expect(page.locator(f'[data-signature="{pa_key}"] .text-bg-success')).to_be_visible()
    consent = page.locator('[data-signature="consent_declaration"] .text-bg-success')
    expect(consent).to_be_visible()
    client_page.goto(f"{base}/sign/")
    expect(client_page.locator(f'section[data-item="{pa_key}"] .text-bg-success')).to_be_visible()
    sign_item(client_page, spouse_key, spouse_signer)
    visit(client_page, rf"{base}/sign/$")

    # Declaration and submission.
    page.goto(f"{base}/submit/")
    visit(page, rf"{base}/submit/$")
    page.locator("#id_declare").check()
    page.locator('input[name="action"][value="declare"] ~ button').press("Enter")
    expect(page.locator('[data-testid="ready"]')).to_be_visible()
    assert_accessible(page)
    page.locator('input[name="submission_token"] ~ button').press("Enter")
    visit(page, rf"{base}/submission/$")
    application.refresh_from_db()
    number = application.application_number
    expect(page.locator('[data-testid="application-number"]')).to_have_text(number)
    page.reload()
    expect(page.locator('[data-testid="package-link"]')).to_be_visible()
    client_page.goto(f"{base}/submission/")
    visit(client_page, rf"{base}/submission/$")
    context.close()

    record = Submission.objects.get(application=application)
    pdf = pypdfium2.PdfDocument(record.package.file.open("rb").read())
    text = "".join(p.get_textpage().get_text_range() for p in pdf)
    assert number in text and "Journey" in text and "Spouse" in text
    sent = OutboxEmail.objects.filter(key__startswith="submitted-")
    assert sorted(e.to for e in sent) == sorted([client.user.email, rep_a_user.email])
    assert Application.objects.get(pk=application.pk).status == "submitted"
