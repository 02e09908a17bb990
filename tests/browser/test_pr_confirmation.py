"""Journey (issue 8 item 3): staff approve; the client confirms permanent residence for two
people with their photos; staff reject one photo; the client uploads a new one; staff accept
both and confirm; the eCOPRs are downloadable and the client is emailed. axe on every page, in
English and French."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from applications.models import Application, PRConfirmation
from tests import factories
from tests.applications.pr_helpers import active_client
from tests.browser.conftest import signed_in_page
from tests.browser.test_representative_onboarding import visit
from tests.browser.test_staff_processing import admin_page, staff_signs_in, take_action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(name):
    return {"name": name, "mimeType": "image/png", "buffer": factories.png_bytes(600, 800)}


def client_sends(page, name, *, photo_name, first_time=True):
    """On the client's application page: open the person's form, fill it in, send it."""
    label = "Confirm permanent residence of" if first_time else "Upload a new photo of"
    page.get_by_role("link", name=f"{label} {name}").click()
    visit(page, r"/en/client/applications/[0-9a-f-]+/pr/[0-9a-f-]+/$")
    if first_time:
        page.get_by_label("Yes").check()
        page.get_by_label("Date this person entered Canada").fill("2026-01-05")
        page.get_by_label("Street address").fill("24 Sussex Drive")
        page.get_by_label("City or town").fill("Ottawa")
        page.get_by_label("Province or territory").select_option("ON")
        page.get_by_label("Postal code").fill("k1m 1m4")
    else:
        expect(page.get_by_label("Street address")).to_have_value("24 Sussex Drive")
    page.get_by_label("Photo of this person").set_input_files(photo_file(photo_name))
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success, .alert")).to_contain_text("Sent.")


def staff_review(page, name, *, accept, reason=""):
    row = page.locator("#pr-confirmations tr", has_text=name)
    row.get_by_role("link", name="Review the photo").click()
    admin_page(page, r"/pr/[0-9a-f-]+/review/$")
    expect(page.get_by_role("img", name=f"Photo of {name}")).to_be_visible()
    page.get_by_label("Accept the photo" if accept else "Reject the photo").check()
    if reason:
        page.get_by_label("Reason for the rejection").fill(reason)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("Photo review recorded.")


def staff_confirm(page, name):
    row = page.locator("#pr-confirmations tr", has_text=name)
    row.get_by_role("link", name="Confirm permanent residence").click()
    admin_page(page, r"/pr/[0-9a-f-]+/confirm/$")
    page.get_by_label(re.compile("confirm permanent residence")).check()
    page.get_by_role("button", name=re.compile("Confirm permanent residence")).click()
    expect(page.locator(".messagelist")).to_contain_text("Permanent residence confirmed.")


def test_client_confirms_two_people_staff_reject_one_photo_then_confirm(browser, live_server, page):
    client = active_client()
    application = factories.make_application(
        client=client,
        family_name="Tremblay",
        given_names="Amina",
        status=Application.Status.IN_PROCESS,
        application_number="F000000077",
    )
    pa = application.principal_applicant
    pa.date_of_birth = date(1990, 4, 2)
    pa.save()
    factories.make_person(
        application=application,
        relationship="02",
        family_name="Tremblay",
        given_names="Noor",
        accompanying=True,
    )
    client_page = signed_in_page(browser, live_server, client.user)
    client_url = reverse("clients:application", args=[application.public_id])
    try:
        staff_signs_in(page)
        change_url = reverse("admin:applications_application_change", args=[application.pk])
        page.goto(change_url)
        take_action(page, "Approve")
        expect(page.locator("#pr-confirmations")).to_contain_text("Noor Tremblay")

        client_page.goto(client_url)
        panel = client_page.locator('[data-testid="pr-confirmations"]')
        expect(panel).to_contain_text("Amina Tremblay")
        expect(panel).to_contain_text("Noor Tremblay")
        visit(client_page, r"/en/client/applications/[0-9a-f-]+/$")
        client_sends(client_page, "Amina Tremblay", photo_name="amina.png")
        client_sends(client_page, "Noor Tremblay", photo_name="noor.png")

        page.reload()
        staff_review(page, "Noor Tremblay", accept=False, reason="Shadows on the face.")
        staff_review(page, "Amina Tremblay", accept=True)

        client_page.reload()
        expect(panel.locator('[data-testid="rejection-reason"]')).to_contain_text(
            "Shadows on the face."
        )
        visit(client_page, r"/en/client/applications/[0-9a-f-]+/$")
        client_sends(client_page, "Noor Tremblay", photo_name="noor-2.png", first_time=False)

        page.reload()
        staff_review(page, "Noor Tremblay", accept=True)
        staff_confirm(page, "Amina Tremblay")
        staff_confirm(page, "Noor Tremblay")
        expect(page.locator("#pr-confirmations")).to_contain_text("eCOPR issued")

        client_page.reload()
        expect(panel.locator('[data-testid="pr-card-address"]').first).to_contain_text(
            "24 Sussex Drive, Ottawa ON  K1M 1M4"
        )
        visit(client_page, r"/en/client/applications/[0-9a-f-]+/$")
        for name in ("Amina Tremblay", "Noor Tremblay"):
            with client_page.expect_download() as download:
                client_page.get_by_role("link", name=f"Download the eCOPR of {name}").click()
            assert download.value.suggested_filename.startswith("F000000077-eCOPR")
        confirmations = PRConfirmation.objects.filter(application=application)
        assert {c.state for c in confirmations} == {PRConfirmation.State.CONFIRMED}
        for confirmation in confirmations:
            email = OutboxEmail.objects.get(key=f"ecopr:{confirmation.public_id}")
            assert email.to == client.user.email
        assert OutboxEmail.objects.filter(key__startswith="pr-photo-rejected:").count() == 1
    finally:
        client_page.context.close()
