"""Journey (issue 8, "Must show"): the whole staff cycle in the browser. Staff (MFA) return a
submitted application as incomplete with reasons and a note; the representative sees the flag
on the dashboard and the application page and reopens it; once it is fixed, signed again and
resubmitted (through the pages, by the Django test clients of tests/staff/cycle.py), staff
see what changed, accept it and request a document; the representative uploads it into the
requested slot; staff approve; the
client confirms permanent residence for each person; staff accept both photos and confirm; the
client downloads both eCOPRs. axe in English and French on every representative and client
page and on the admin pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import OutboxEmail
from applications.models import PRConfirmation
from tests.browser.conftest import signed_in_page
from tests.browser.test_pr_confirmation import client_sends, staff_confirm, staff_review
from tests.browser.test_representative_onboarding import visit
from tests.browser.test_staff_processing import (
    accept_and_request_a_document,
    admin_page,
    dashboard_shows_the_return,
    return_incomplete,
    staff_signs_in,
    take_action,
)
from tests.conftest import signed_in
from tests.corpus.make_uploads import good_pdf
from tests.staff import cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DETAIL = r"/en/applications/[0-9a-f-]+/(#[a-z-]+)?$"
CLIENT = r"/en/client/applications/[0-9a-f-]+/$"


def test_return_fix_resubmit_accept_request_approve_confirm_pr(
    browser, live_server, page, rep_a, rep_a_user
):
    application, pa, spouse = cycle.prepared(rep_a_user, rep_a)
    client_user = application.client.user
    client = signed_in(client_user)
    cycle.sign_declare_submit(rep_a, client, application)
    assert application.status == "submitted"
    rep_page = signed_in_page(browser, live_server, rep_a_user)
    client_page = signed_in_page(browser, live_server, client_user)
    change = reverse("admin:applications_application_change", args=[application.pk])
    try:
        # Staff return it as incomplete, with two reasons and a note.
        staff_signs_in(page)
        page.goto(change)
        admin_page(page, r"/staff-admin/applications/application/\d+/change/$")
        return_incomplete(page, note=cycle.NOTE)

        # The representative sees the flag and the reasons, then reopens the application.
        dashboard_shows_the_return(rep_page)
        rep_page.goto(cycle.app_url("detail", application))
        flag = rep_page.locator('[data-testid="staff-return"]')
        expect(flag).to_contain_text("Missing signature")
        expect(flag).to_contain_text(cycle.NOTE)
        visit(rep_page, DETAIL)
        rep_page.get_by_role("button", name="Reopen the application to complete it").click()
        expect(rep_page.locator('[data-testid="staff-return"]')).to_have_count(0)
        visit(rep_page, DETAIL)
        application.refresh_from_db()
        assert application.status == "draft"

        # Fixed, signed again, declared and resubmitted through the gate.
        cycle.fix_a_form(rep_a, application, spouse)
        cycle.sign_declare_submit(rep_a, client, application)
        assert application.status == "submitted" and application.submissions.count() == 2

        # Staff see what changed since the returned submission, accept it and request a
        # document; the representative sees the request and uploads the document into it.
        page.goto(change)
        changes = page.locator("#changes-since-previous-submission")
        expect(changes).to_contain_text("Forms changed")
        admin_page(page, r"/staff-admin/applications/application/\d+/change/$")
        accept_and_request_a_document(page, rep_page)
        requests = rep_page.locator('[data-testid="document-requests"]')
        requests.get_by_role("link", name="Upload Police certificate from France").click()
        expect(rep_page.locator("h1")).to_contain_text("Police certificate from France")
        visit(rep_page, r"/en/applications/[0-9a-f-]+/requests/[0-9a-f-]+/upload/$")
        rep_page.set_input_files(
            "#id_file",
            {"name": "police.pdf", "mimeType": "application/pdf", "buffer": good_pdf()},
        )
        rep_page.get_by_role("button", name="Upload the file").click()
        expect(requests).to_contain_text("Sent on")
        visit(rep_page, DETAIL)

        # Staff approve; the client confirms permanent residence for each person.
        take_action(page, "Start processing")
        take_action(page, "Approve")
        client_page.goto(reverse("clients:application", args=[application.public_id]))
        visit(client_page, CLIENT)
        names = [pa.full_name, spouse.full_name]
        for name in names:
            client_sends(client_page, name, photo_name=f"{name.split()[0].lower()}.png")

        # Staff accept both photos and confirm; the eCOPRs are issued.
        page.reload()
        for name in names:
            staff_review(page, name, accept=True)
        for name in names:
            staff_confirm(page, name)
        expect(page.locator("#pr-confirmations")).to_contain_text("eCOPR issued")

        # The client downloads each eCOPR and reads where the PR card goes.
        client_page.reload()
        panel = client_page.locator('[data-testid="pr-confirmations"]')
        expect(panel.locator('[data-testid="pr-card-address"]').first).to_contain_text(
            "24 Sussex Drive, Ottawa ON  K1M 1M4"
        )
        visit(client_page, CLIENT)
        number = application.application_number
        for name in names:
            with client_page.expect_download() as download:
                client_page.get_by_role("link", name=f"Download the eCOPR of {name}").click()
            assert download.value.suggested_filename.startswith(f"{number}-eCOPR")
        confirmations = PRConfirmation.objects.filter(application=application)
        assert {c.state for c in confirmations} == {PRConfirmation.State.CONFIRMED}
        for confirmation in confirmations:
            assert OutboxEmail.objects.get(key=f"ecopr:{confirmation.public_id}").to == (
                client_user.email
            )
        # The representative's page shows the outcome, read-only.
        rep_page.reload()
        expect(rep_page.locator('[data-testid="pr-confirmations"]')).to_be_visible()
        visit(rep_page, DETAIL)
    finally:
        rep_page.context.close()
        client_page.context.close()
