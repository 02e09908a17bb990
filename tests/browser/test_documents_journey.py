"""Journey: a representative uploads, replaces, previews, combines and deletes documents.

The upload form is operated with the keyboard only; the browser refuses a file of the wrong
type or size before sending it; a file the server refuses shows the server's message in the
page; uploads go through the script (X-Upload) with its progress bar. Two PDFs added one by one
to the same slot are combined into one PDF on the server. axe runs on every page, in English
and in French.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications.documents import slot_key
from applications.models import Document
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in
from tests.corpus import make_uploads as corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_both_languages(page):
    assert_accessible(page)
    english = page.url
    page.goto(re.sub(r"/en/", "/fr/", english, count=1))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.goto(english)


def pdf_file(name, pages=1):
    return {
        "name": name,
        "mimeType": "application/pdf",
        "buffer": corpus.pdf_bytes(corpus.new_pdf(pages)),
    }


def choose_file_with_keyboard(page, files):
    """Tab to the file field and open it with the space bar, as a keyboard user would."""
    field = page.locator("#id_file")
    page.locator("h1").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    expect(field).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files)


def submit_with_keyboard(page, button_name):
    button = page.get_by_role("button", name=button_name)
    for _ in range(20):
        if button.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")


def test_upload_replace_preview_combine_and_delete(page, live_server):
    rep = factories.make_representative(email="rep-docs@example.test", full_name="Rep Docs")
    application = factories.make_application(
        representative=rep, family_name="Tremblay", given_names="Marie"
    )
    pa = application.principal_applicant
    key = slot_key("passport", pa)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(rep.user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    scripted = []
    page.on(
        "request",
        lambda request: (
            scripted.append(request.url) if request.headers.get("x-upload") == "1" else None
        ),
    )

    page.goto(f"/en/applications/{application.public_id}/")
    page.get_by_role("link", name="Documents and fees").click()
    expect(page.locator("h1")).to_have_text("Documents for Marie Tremblay")
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row.locator(".slot-state")).to_have_text("Missing")
    check_both_languages(page)

    # Upload, with the keyboard only.
    slot_row.get_by_role("link", name=re.compile(r"^Upload")).click()
    expect(page.locator("h1")).to_contain_text("Upload: Passport or travel document (copy)")
    check_both_languages(page)

    # Refused in the browser before sending: wrong type, then too large.
    page.set_input_files(
        "#id_file", {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    )
    expect(page.locator("#id_file-browser-error")).to_contain_text(
        "The file must be one of these types: PDF, JPG, PNG, DOC, DOCX."
    )
    big = corpus.padded(corpus.good_pdf(), 4_000_001)
    choose_file_with_keyboard(
        page, {"name": "big.pdf", "mimeType": "application/pdf", "buffer": big}
    )
    expect(page.locator("#id_file-browser-error")).to_contain_text("4 MB or smaller")
    submit_with_keyboard(page, "Upload the file")
    expect(page.locator(".upload-status")).to_contain_text("4 MB or smaller")
    assert scripted == [] and not Document.objects.exists()

    # Refused by the server (a program renamed .pdf): its message appears in the page.
    page.set_input_files(
        "#id_file",
        {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": corpus.EXECUTABLE},
    )
    expect(page.locator("#id_file-browser-error")).to_have_count(0)
    submit_with_keyboard(page, "Upload the file")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("not a real PDF file")
    assert page.title().startswith("Error:")
    assert len(scripted) == 1 and not Document.objects.exists()
    assert_accessible(page)

    # A good file, chosen and sent with the keyboard only, over a slow connection: the progress
    # bar moves and the status is announced; then the page moves on to the documents.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 250_000},
    )
    scan = corpus.padded(corpus.good_pdf(), 600_000)
    choose_file_with_keyboard(
        page, {"name": "passport scan.pdf", "mimeType": "application/pdf", "buffer": scan}
    )
    submit_with_keyboard(page, "Upload the file")
    expect(page.locator(".upload-progress")).to_be_visible()
    expect(page.locator(".upload-status")).to_have_text(re.compile("Uploading the file|Checking"))
    page.wait_for_function(
        "() => { const bar = document.querySelector('#upload-progress-bar');"
        " return !bar || bar.value > 0; }"
    )
    expect(page.locator(".alert-success")).to_contain_text(
        "Uploaded: Passport or travel document (copy) for Marie Tremblay."
    )
    assert len(scripted) == 2
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row.locator(".slot-state")).to_have_text("Uploaded")
    expect(slot_row).to_contain_text(
        "Tremblay – Marie – Passport or travel document (copy) – 1.pdf"
    )
    check_both_languages(page)

    # Replace: the confirmation box is needed.
    slot_row.get_by_role("link", name=re.compile(r"^Replace")).click()
    expect(page.locator("h1")).to_contain_text("Replace: Passport")
    check_both_languages(page)
    page.set_input_files("#id_file", pdf_file("new passport.pdf", pages=2))
    page.get_by_role("button", name="Replace the file").click()
    expect(page.locator(".error-summary")).to_contain_text("replaces the current one")
    page.set_input_files("#id_file", pdf_file("new passport.pdf", pages=2))
    page.get_by_label(re.compile("Replace the current file")).check()
    page.get_by_role("button", name="Replace the file").click()
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row).to_contain_text("2 pages")
    expect(slot_row.locator("details summary")).to_have_text("1 earlier file")
    assert Document.objects.filter(state="replaced").count() == 1

    # Preview: pages rendered on the server as images.
    slot_row.get_by_role("link", name=re.compile(r"– 1\.pdf$")).first.click()
    expect(page.locator("h1")).to_contain_text("Preview of Tremblay – Marie")
    images = page.locator("img.preview-page")
    expect(images).to_have_count(2)
    images.first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.preview-page')].every("
        "img => img.complete && img.naturalWidth > 0)"
    )
    check_both_languages(page)
    page.get_by_role("link", name="Back to the documents").click()

    # Combine: add a second PDF to the same slot, then combine the two into one.
    slot_row = page.locator(f'[data-slot="{key}"]')
    slot_row.get_by_role("link", name=re.compile("^Add a file to combine")).click()
    expect(page.locator("h1")).to_contain_text("Add a file to combine")
    check_both_languages(page)
    page.set_input_files("#id_file", pdf_file("visa page.pdf", pages=3))
    page.get_by_role("button", name="Add the file").click()
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row.locator(".slot-state")).to_have_text("Needs attention")
    expect(slot_row.locator(".parts-list")).to_contain_text("– 2.pdf")
    check_both_languages(page)
    slot_row = page.locator(f'[data-slot="{key}"]')
    slot_row.get_by_role("button", name=re.compile("^Combine into one PDF")).click()
    expect(page.locator(".alert-success")).to_contain_text("The files were combined into one PDF.")
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row.locator(".slot-state")).to_have_text("Uploaded")
    expect(slot_row).to_contain_text("5 pages")
    combined = Document.objects.get(slot_key=key, state="current")
    assert combined.file.page_count == 5 and combined.file.kind == "pdf"
    assert_accessible(page)

    # Delete, after a confirmation page.
    slot_row.get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.locator("h1")).to_contain_text("Delete Tremblay – Marie")
    check_both_languages(page)
    page.get_by_role("button", name="Delete the file").click()
    slot_row = page.locator(f'[data-slot="{key}"]')
    expect(slot_row.locator(".slot-state")).to_have_text("Missing")
    assert not Document.objects.filter(slot_key=key, state="current").exists()
    assert_accessible(page)
