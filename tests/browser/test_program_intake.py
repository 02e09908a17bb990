"""Journey (issue 8 item 4): a program administrator with MFA pauses a program on its intake
page in the admin; the representative with a draft in it gets one email, sees the banner on the
dashboard and on the application page, and downloads the draft as a PDF (prepared on the pdf
queue) marked on every page. axe on every page, EN and FR."""

import re
from pathlib import Path

import pypdfium2
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Program
from tests import factories
from tests.browser.test_representative_onboarding import visit
from tests.browser.test_staff_processing import admin_page, staff_signs_in
from tests.conftest import signed_in
from tests.staff.helpers import PROGRAM_ADMIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = "atlantic_immigration_program"


def rep_page_for(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="en-CA", accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_pausing_a_program_warns_the_representative_who_downloads_the_draft(
    browser, live_server, page, tmp_path
):
    program = Program.objects.get(code=CODE)
    rep = factories.make_representative(email="rep-intake@example.test", full_name="Rep Intake")
    factories.make_application(
        representative=rep, program=program, family_name="Tremblay", given_names="Anaïs"
    )
    rep_context = rep_page_for(browser, live_server, rep.user)
    rep_page = rep_context.new_page()
    try:
        rep_page.goto("/en/applications/")
        expect(rep_page.locator('[data-testid="intake-banner"]')).to_have_count(0)

        staff_signs_in(page, PROGRAM_ADMIN, "intake-admin@example.test")
        page.goto(reverse("admin:applications_program_changelist"))
        page.locator("#searchbar").fill(CODE)
        page.keyboard.press("Enter")
        admin_page(page, r"/staff-admin/applications/program/\?q=")
        page.locator("#result_list").get_by_role("link", name="Open").click()
        admin_page(page, r"/staff-admin/applications/program/\d+/intake/$")
        expect(page.locator("#content")).to_contain_text("1 drafts now")
        page.get_by_label("Intake state").select_option("paused")
        page.get_by_label("I confirm this change").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Change the intake").click()
        expect(page.locator(".messagelist")).to_contain_text("Representatives warned: 1")
        admin_page(page, r"/staff-admin/applications/program/\d+/change/$")

        warned = [message for message in mail.outbox if rep.user.email in message.to]
        assert len(warned) == 1
        assert "A program you have drafts in is paused" in warned[0].subject
        assert "Atlantic Immigration Program" in warned[0].body

        rep_page.goto("/en/applications/")
        banner = rep_page.locator('[data-testid="intake-banner"]')
        expect(banner).to_contain_text("is paused: you have 1 draft in it.")
        visit(rep_page, r"/en/applications/$")
        rep_page.get_by_role("link", name=re.compile("Tremblay")).click()
        expect(rep_page.locator('[data-testid="intake-banner"]')).to_contain_text(
            "This program is paused"
        )
        visit(rep_page, r"/en/applications/[0-9a-f-]+/$")
        # The banner's button queues the PDF (the pdf queue; eager here) and opens its page.
        rep_page.get_by_role("button", name="Download draft as PDF").click()
        expect(rep_page.locator('[data-testid="draft-export-status"]')).to_contain_text("Ready")
        visit(rep_page, r"/en/applications/[0-9a-f-]+/draft-pdf/$")
        with rep_page.expect_download() as download_info:
            rep_page.get_by_role("link", name="Download draft as PDF").click()
        target = tmp_path / "draft.pdf"
        download_info.value.save_as(target)
        pdf = pypdfium2.PdfDocument(Path(target).read_bytes())
        texts = [pdf_page.get_textpage().get_text_range() for pdf_page in pdf]
        assert texts and all("DRAFT — NOT SUBMITTED" in text for text in texts)
        assert "Tremblay" in "".join(texts)
    finally:
        rep_context.close()
