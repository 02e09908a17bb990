"""Journeys (issue 8) after submission, axe on every page in EN and FR:

1. staff request a document in the admin → the representative sees it (due date) on the
   application page and uploads it in its slot → reports a change of circumstances → staff
   see "documents received" and the change in the queue and on the application;
2. staff return an application as incomplete → the representative replaces a document and the
   application is submitted again → staff see what changed since the previous submission.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.browser.test_documents_journey import pdf_file
from tests.browser.test_representative_onboarding import visit
from tests.browser.test_staff_processing import admin_page, staff_signs_in, take_action
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def representative_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    rep_page = context.new_page()
    rep_page.set_default_timeout(15_000)
    return context, rep_page


def open_in_admin(page, application):
    page.goto(reverse("admin:applications_application_change", args=[application.pk]))
    admin_page(page, r"/staff-admin/applications/application/\d+/change/")


def test_requested_document_and_change_of_circumstances(browser, live_server, page):
    rep = factories.make_representative(email="rep-after@example.test", full_name="Rep After")
    application = factories.make_application(
        representative=rep,
        family_name="Gagnon",
        given_names="Léa",
        status=Application.Status.ACCEPTED,
        application_number="F000000051",
    )
    rep_context, rep_page = representative_page(browser, live_server, rep.user)
    try:
        staff_signs_in(page)
        open_in_admin(page, application)
        page.locator(".object-tools").get_by_role(
            "link", name="Request additional documents"
        ).click()
        page.get_by_label("Document requested").fill("Police certificate from France")
        due = timezone.localdate() + timedelta(days=30)
        page.get_by_label("Due on").fill(due.isoformat())
        page.get_by_role("button", name="Request additional documents").click()
        expect(page.locator(".messagelist")).to_contain_text("Documents requested.")

        # The representative sees the request and uploads into its slot.
        rep_page.goto(f"/en/applications/{application.public_id}/")
        requests = rep_page.locator('[data-testid="document-requests"]')
        expect(requests).to_contain_text("Police certificate from France")
        expect(requests).to_contain_text(due.isoformat())
        requests.get_by_role("link", name=re.compile("Upload")).click()
        visit(rep_page, r"/requests/[0-9a-f-]+/upload/$")
        expect(rep_page.locator("h1")).to_contain_text("Police certificate from France")
        rep_page.set_input_files("#id_file", pdf_file("certificate.pdf"))
        rep_page.get_by_role("button", name="Upload the file").click()
        expect(rep_page.locator(".alert-success")).to_contain_text(
            "Sent to IRCC staff: Police certificate from France."
        )
        expect(requests).to_contain_text("Sent on")
        expect(requests.get_by_role("link", name=re.compile("Upload"))).to_have_count(0)

        # Then a change of circumstances: a bad submission first keeps what was typed.
        rep_page.get_by_role("link", name="Report a change of circumstances").click()
        visit(rep_page, r"/circumstances/new/$")
        rep_page.get_by_label("Short note for IRCC staff").fill("Passport renewed in 2026.")
        rep_page.get_by_role("button", name="Upload the file").click()
        expect(rep_page.locator(".error-summary")).to_contain_text("Choose what changed.")
        expect(rep_page.get_by_label("Short note for IRCC staff")).to_have_value(
            "Passport renewed in 2026."
        )
        rep_page.get_by_label("New passport").check()
        rep_page.set_input_files("#id_file", pdf_file("passport.pdf"))
        rep_page.get_by_role("button", name="Upload the file").click()
        expect(rep_page.locator(".alert-success")).to_contain_text(
            "The change of circumstances was sent to IRCC staff."
        )
        expect(rep_page.locator('[data-testid="circumstances"]')).to_contain_text("New passport")
        history = rep_page.locator('[data-testid="processing-history"]')
        expect(history).to_contain_text("Requested document sent: Police certificate from France")
        expect(history).to_contain_text("Change of circumstances reported: New passport")
        visit(rep_page, r"/en/applications/[0-9a-f-]+/(#circumstances)?$")

        # Staff see both in the queue (filters and columns) and on the application.
        page.goto(reverse("admin:applications_application_changelist") + "?documents_received=yes")
        expect(page.locator("#result_list")).to_contain_text("F000000051")
        admin_page(page, r"documents_received=yes")
        page.goto(reverse("admin:applications_application_changelist") + "?circumstances=yes")
        expect(page.locator("#result_list")).to_contain_text("F000000051")
        open_in_admin(page, application)
        expect(page.locator("#content")).to_contain_text("Police certificate from France")
        expect(page.locator("#content")).to_contain_text("Passport renewed in 2026.")
    finally:
        rep_context.close()


def test_return_resubmit_and_staff_see_what_changed(browser, live_server, page, rep_a, rep_a_user):
    application = factories.make_application(
        representative=rep_a_user.representative, family_name="Roy", given_names="Noé"
    )
    make_ready(rep_a, application)
    sign_everything(application)
    declare(application)
    submit(application)
    rep_context, rep_page = representative_page(browser, live_server, rep_a_user)
    try:
        staff_signs_in(page)
        open_in_admin(page, application)
        take_action(page, "Start the completeness check")
        take_action(page, "Return as incomplete", check=("Missing signature",))
        expect(page.locator("#changes-since-previous-submission")).to_have_count(0)

        # The representative replaces a document of the returned application.
        document = application.documents.filter(
            state="current", checklist_item__kind="document", checklist_item__wet_signature=False
        ).first()
        rep_page.goto(
            reverse("applications:document_upload", args=[application.public_id, document.slot_key])
        )
        rep_page.get_by_label(re.compile("Replace the current file")).check()
        rep_page.set_input_files("#id_file", pdf_file("better scan.pdf", pages=2))
        rep_page.get_by_role("button", name="Replace the file").click()
        expect(rep_page.locator(".alert-success")).to_contain_text("Uploaded")
        # Declared and submitted again (the path back to the declaration is another branch's).
        Application.objects.filter(pk=application.pk).update(status="rep_declared")
        application.refresh_from_db()
        assert submit(application, uuid.uuid4()).created

        page.reload()
        take_action(page, "Start the completeness check")
        changes = page.locator("#changes-since-previous-submission")
        expect(changes).to_contain_text("Changes since the previous submission")
        expect(changes).to_contain_text("Documents replaced")
        expect(changes).to_contain_text(document.checklist_item.name_en)
        admin_page(page, r"/staff-admin/applications/application/\d+/change/")
    finally:
        rep_context.close()
