"""Journey (issue 8 item 1): an officer opens a submitted application in the admin, reads each
signature's verification result and the submission's manifest, then previews a document.
axe on every page, EN and FR."""

import hashlib
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from forms_imm.canonical import canonical_json
from tests import factories
from tests.applications.test_admin_staffview import sign_pa
from tests.browser.test_staff_processing import admin_page, staff_signs_in
from tests.staff.helpers import OFFICER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_reads_signatures_manifest_and_previews_a_document(live_server, page):
    application = factories.make_application(
        family_name="Lavoie", given_names="Chloé", status=Application.Status.SUBMITTED,
        application_number="F000000077",
    )  # fmt: skip
    sign_pa(application, 2)
    document = factories.make_document(application=application)
    manifest = {
        "files": {
            str(document.public_id): {
                "slot": document.slot_key, "sha256": document.file.sha256,
                "size": document.file.size,
            }
        }
    }  # fmt: skip
    factories.make_submission(
        application=application,
        manifest=manifest,
        manifest_sha256=hashlib.sha256(canonical_json(manifest)).hexdigest(),
    )
    staff_signs_in(page, group=OFFICER)
    page.goto(reverse("admin:applications_application_change", args=[application.pk]))
    admin_page(page, r"/change/$")
    signatures = page.locator("#signatures")
    expect(signatures.locator("tbody tr")).to_have_count(2)
    expect(signatures).to_contain_text("Verified: seal valid, chain intact, content unchanged")
    submissions = page.locator("#submissions")
    expect(submissions).to_contain_text("Submission 1")
    expect(submissions).to_contain_text("Verified: manifest and files match")
    expect(submissions).to_contain_text(document.file.sha256)
    page.get_by_role("link", name="Preview").first.click()
    admin_page(page, r"/preview/$")
    image = page.locator("img.preview-page").first
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) > 0
    page.get_by_role("link", name="Back to the application").click()
    expect(page).to_have_url(re.compile(r"/change/$"))
