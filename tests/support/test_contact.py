"""The technical-issue web form (issue 9 item 1): signed in or not, validated, rate-limited."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from accounts.models import AuditEvent, OutboxEmail, StoredFile
from applications.models import Program
from applications.uploads import MESSAGES
from support.models import SupportEvent, SupportRequest, SupportScreenshot
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db

URL = "/en/help/contact/"


def png(name="screen.png"):
    return SimpleUploadedFile(name, corpus.good_png(), content_type="image/png")


def jpeg(name="screen.jpg"):
    return SimpleUploadedFile(name, corpus.good_jpeg(), content_type="image/jpeg")


def payload(**overrides):
    program = Program.objects.active().order_by("order").first()
    data = {
        "category": SupportRequest.Category.UPLOADS,
        "name": "CANARY-SENDER Person",
        "email": "sender@example.test",
        "uci": "1111111111",
        "application_number": "0000000",
        "program": str(program.pk),
        "description": "The upload button does nothing on the documents page.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anyone_can_open_the_form(anon):
    response = anon.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Report a technical issue</h1>" in html
    assert 'name="screenshots"' in html and "multiple" in html
    assert 'accept=".jpg,.jpeg,.png"' in html
    assert 'enctype="multipart/form-data"' in html


def test_the_form_is_in_french_too(anon):
    response = anon.get("/fr/help/contact/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()


def test_wrong_method_is_refused(anon):
    assert anon.put(URL).status_code == 405
    assert anon.delete(URL).status_code == 405


def test_signed_out_request_is_saved_acknowledged_and_its_reference_shown(anon):
    response = anon.post(URL, payload(screenshots=[png(), jpeg()]))

    assert response.status_code == 302 and response["Location"] == "/en/help/contact/sent/"
    support_request = SupportRequest.objects.get()
    assert re.fullmatch(r"TI-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", support_request.reference)
    assert support_request.status == SupportRequest.Status.NEW
    assert support_request.submitted_by is None
    assert support_request.uci == "1111111111" and not support_request.has_uci
    assert support_request.application_number == "0000000"
    assert [s.file.kind for s in support_request.screenshots.select_related("file")] == [
        "png",
        "jpeg",
    ]
    assert SupportEvent.objects.filter(
        support_request=support_request, kind=SupportEvent.Kind.SUBMITTED
    ).exists()
    email = OutboxEmail.objects.get(to="sender@example.test")
    assert (
        support_request.reference in email.subject and support_request.reference in email.body_text
    )
    # A signed-out sender is not greeted with the typed name (the form is public).
    assert "CANARY-SENDER" not in email.body_text and "CANARY-SENDER" not in email.body_html
    assert "La version française suit" in email.body_text

    page = anon.get(response["Location"])
    assert page.status_code == 200
    assert support_request.reference in page.content.decode()


def test_browser_details_are_attached(anon):
    anon.post(URL, payload(), HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Chromium/130")
    assert SupportRequest.objects.get().user_agent == "Mozilla/5.0 (X11; Linux) Chromium/130"


def test_placeholders_and_real_numbers_are_normalised(anon):
    anon.post(URL, payload(uci="00-0000-1234", application_number=" e123456789 "))
    support_request = SupportRequest.objects.get()
    assert support_request.uci == "0000001234"
    assert support_request.application_number == "E123456789"


def test_signed_in_request_is_linked_and_greets_by_name(rep_a, rep_a_user):
    page = rep_a.get(URL)
    assert 'value="rep-a@example.test"' in page.content.decode()
    assert 'value="CANARY-A Rep"' in page.content.decode()

    rep_a.post(URL, payload(email="rep-a@example.test", name="CANARY-A Rep"))

    support_request = SupportRequest.objects.get()
    assert support_request.submitted_by == rep_a_user
    email = OutboxEmail.objects.get(to="rep-a@example.test")
    assert "Hello CANARY-A Rep," in email.body_text
    event = AuditEvent.objects.get(action="support_request.submitted")
    assert event.actor == rep_a_user and event.object_id == support_request.public_id
    assert event.reason == "uploads"


def test_the_confirmation_page_shows_only_the_senders_own_reference(anon, client_a):
    anon.post(URL, payload())
    reference = SupportRequest.objects.get().reference

    assert reference in anon.get("/en/help/contact/sent/").content.decode()
    # Another browser has no reference in its session: it is sent back to the form.
    response = client_a.get("/en/help/contact/sent/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_confirmation_page_refuses_posts(anon):
    assert anon.post("/en/help/contact/sent/").status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uci", "12345", "Enter the UCI as 8 or 10 digits"),
        ("uci", "", "Enter the UCI, or 1111111111 if there is none yet."),
        ("application_number", "E12345", "Enter the application number as a capital letter"),
        ("application_number", "00000000", "Enter the application number as a capital letter"),
        ("description", "", "Describe the problem."),
        ("description", "x" * 5001, "Shorten the description to 5,000 characters or fewer."),
        ("category", "", "Select the kind of problem."),
        ("category", "made_up", "Select a valid choice."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("program", "999999", "Select a valid choice."),
    ],
)
def test_invalid_input_keeps_what_was_typed(anon, field, value, message):
    data = payload(**{field: value})

    response = anon.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert f'href="#id_{field}"' in html
    assert "<title>Error:" in html
    assert 'value="CANARY-SENDER Person"' in html
    assert "The upload button does nothing on the documents page." in html or field == "description"
    assert not SupportRequest.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_six_screenshots_are_refused(anon):
    response = anon.post(URL, payload(screenshots=[png(f"s{i}.png") for i in range(6)]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Attach at most 5 screenshots." in html
    assert "select your screenshots again" in html.lower()
    assert not SupportRequest.objects.exists() and not StoredFile.objects.exists()


def test_five_screenshots_are_accepted(anon):
    response = anon.post(URL, payload(screenshots=[png(f"s{i}.png") for i in range(5)]))
    assert response.status_code == 302
    assert SupportScreenshot.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("fake.png", b"<html><script>alert(1)</script></html>", "type_mismatch"),
        ("document.pdf", corpus.good_pdf(), "type_not_allowed"),
        ("broken.png", corpus.corrupt_png(), "image_corrupt"),
        ("empty.png", b"", "empty"),
        ("flood.png", corpus.pixel_flood_png(), "image_too_many_pixels"),
    ],
)
def test_a_bad_screenshot_is_refused_with_the_pipelines_message(anon, name, content, code):
    bad = SimpleUploadedFile(name, content, content_type="image/png")

    response = anon.post(URL, payload(screenshots=[png(), bad]))

    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        reason = str(MESSAGES[code]).split("%(")[0]
    assert "Screenshot 2: " in html and reason.replace("’", "&#x27;")[:30] in html.replace(
        "’", "&#x27;"
    )
    assert name not in html  # refusals name the file by position, never by its name
    assert not SupportRequest.objects.exists() and not StoredFile.objects.exists()


def test_a_signed_in_senders_refused_screenshot_is_audited(rep_a, rep_a_user):
    bad = SimpleUploadedFile("fake.png", b"GIF89a not really", content_type="image/png")
    rep_a.post(URL, payload(screenshots=[bad]))
    event = AuditEvent.objects.get(action="file.rejected")
    assert event.actor == rep_a_user and event.reason == "type_mismatch"


def test_a_signed_out_senders_refused_screenshot_is_audited_anonymously(anon):
    bad = SimpleUploadedFile("fake.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    anon.post(URL, payload(screenshots=[bad]))
    event = AuditEvent.objects.get(action="file.rejected")
    assert event.actor is None and event.actor_role == "anonymous"
    assert event.reason == "type_mismatch"


HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }} {% debug %}",
    '=HYPERLINK("http://evil.test")',
    "Ligne 1\r\nBcc: victim@example.test",
    "\u202egnp.exe",
    "Émile Ç. Zoë 🙂",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_as_typed_and_shown_escaped(text, rep_a, rep_a_user):
    response = rep_a.post(URL, payload(name=f"Name {text}"[:100], description=f"Problem {text}"))
    assert response.status_code == 302
    support_request = SupportRequest.objects.get()
    assert support_request.description == f"Problem {text}"
    html = rep_a.get(f"/en/help/requests/{support_request.public_id}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert escape(text.splitlines()[0]) in html  # shown literally, never rendered


def test_the_form_needs_a_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, payload()).status_code == 403
    assert not SupportRequest.objects.exists()


def test_screenshots_are_stored_reencoded_under_a_random_name(anon):
    anon.post(
        URL, payload(screenshots=[SimpleUploadedFile("my passport.jpg", corpus.jpeg_with_gps())])
    )
    stored = StoredFile.objects.get()
    assert stored.purpose == "support"
    assert "passport" not in stored.file.name
    assert b"GPS" not in stored.file.open("rb").read()
