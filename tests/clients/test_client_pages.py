"""The client's pages (issue 7 items 1 and 3): only their own applications, read-only, a
status timeline in plain words, the review lists, correction requests; the doors around them."""

import logging
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import OutboxEmail
from applications.models import ApplicationEvent
from clients.models import CorrectionRequest
from tests import factories
from tests.forms_imm.test_queries import baseline, count

pytestmark = pytest.mark.django_db

MESSAGE = "CANARY-TYPED my birth city is Lyon, not Lille."


def app_url(application):
    return reverse("clients:application", args=[application.public_id])


def correction_url(application):
    return reverse("clients:correction_new", args=[application.public_id])


def resolve_url(correction):
    return reverse(
        "applications:correction_resolve",
        args=[correction.application.public_id, correction.public_id],
    )


def print_url(application, person=None):
    person = person or application.principal_applicant
    return reverse("forms_imm:print", args=[application.public_id, person.public_id, "imm5669"])


def send(client, application, about="other", message=MESSAGE):
    return client.post(correction_url(application), {"about": about, "message": message})


def test_home_lists_only_the_clients_own_applications(client_a, application_a, application_b):
    second = factories.make_application(
        client=application_a.client,
        representative=application_a.representative,
        family_name="CANARY-A-Second",
    )
    response = client_a.get(reverse("clients:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(application_a.public_id) in body
    assert str(second.public_id) in body
    assert "CANARY-A Rep" in body  # the representative's name
    assert "CANARY-B" not in body
    assert str(application_b.public_id) not in body


def test_start_sends_a_client_home(client_a):
    response = client_a.get(reverse("accounts:start"))
    assert response["Location"] == reverse("clients:home")


def test_application_page_is_read_only_with_forms_documents_and_timeline(
    client_a, application_a, rep_a_user
):
    person = factories.make_person(
        application=application_a, relationship="10", given_names="Sam", family_name="Spouse"
    )
    factories.make_document(application=application_a)
    ApplicationEvent.objects.create(
        application=application_a,
        action=ApplicationEvent.Action.CREATED,
        actor=rep_a_user,
    )
    ApplicationEvent.objects.create(
        application=application_a,
        action=ApplicationEvent.Action.STATUS_CHANGED,
        actor=rep_a_user,
        old_status="draft",
        new_status="awaiting_client_signature",
    )
    ApplicationEvent.objects.create(
        application=application_a, action=ApplicationEvent.Action.PERSON_CHANGED, actor=rep_a_user
    )
    response = client_a.get(app_url(application_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert print_url(application_a) in body
    assert print_url(application_a, person) in body
    assert "Doe – Jane – Document – 1.pdf" in body
    assert "Your representative started the application" in body
    assert "Status: Awaiting client signature" in body
    # Plain words only: no internal codes, nobody else's address, no working detail.
    assert "application.created" not in body.replace('data-action="application.created"', "")
    assert "awaiting_client_signature</" not in body
    assert "Profile changed" not in body
    assert "rep-a@example.test" not in body
    # Nothing to edit: no form sections, profiles, documents or uploads.
    rep_pages = f"/en/applications/{application_a.public_id}/"
    assert rep_pages + "people/" not in body
    assert rep_pages + "documents/" not in body
    # Only the printable view of each form each person needs: IMM 0008 (the spouse's dependant
    # pages), IMM 5669 and IMM 5406 (this program does not ask for IMM 5562).
    form_links = re.findall(r'href="([^"]*/forms/[^"]*)"', body)
    assert sorted(form_links) == sorted(
        reverse("forms_imm:print", args=[application_a.public_id, someone.public_id, form])
        for someone in (application_a.principal_applicant, person)
        for form in ("imm0008", "imm5669", "imm5406")
    )
    assert "{# sign panel" not in body


def test_the_print_view_is_open_to_the_client_with_a_way_back(client_a, application_a):
    response = client_a.get(print_url(application_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert app_url(application_a) in body
    assert "/forms/" not in body.replace(print_url(application_a), "")


def test_someone_elses_application_document_and_print_view_are_404(
    client_a, application_a, application_b
):
    document = factories.make_document(application=application_b)
    urls = [
        app_url(application_b),
        correction_url(application_b),
        app_url(type("A", (), {"public_id": uuid.uuid4()})),
        print_url(application_b),
        reverse(
            "applications:document_download", args=[application_b.public_id, document.public_id]
        ),
        reverse(
            "applications:document_preview", args=[application_b.public_id, document.public_id]
        ),
    ]
    for url in urls:
        assert client_a.get(url).status_code == 404, url
    assert send(client_a, application_b).status_code == 404
    assert not CorrectionRequest.objects.exists()


def test_a_client_cannot_reach_representative_pages_that_change_data(client_a, application_a):
    document = factories.make_document(application=application_a)
    person = application_a.principal_applicant
    public_id = application_a.public_id
    correction = CorrectionRequest.objects.create(
        application=application_a,
        topic="other",
        message="x",
        created_by=client_a_user_of(application_a),
    )
    posts = [
        reverse("applications:client_resend", args=[public_id]),
        reverse("applications:client_email", args=[public_id]),
        reverse("applications:person_add", args=[public_id]),
        reverse("applications:person_edit", args=[public_id, person.public_id]),
        reverse("applications:program_details", args=[public_id]),
        reverse("applications:copy", args=[public_id]),
        reverse("applications:document_delete", args=[public_id, document.public_id]),
        reverse(
            "forms_imm:section_edit", args=[public_id, person.public_id, "imm5669", "personal"]
        ),
        resolve_url(correction),
    ]
    for url in posts:
        assert client_a.post(url, {}).status_code == 404, url
    assert client_a.get(reverse("applications:detail", args=[public_id])).status_code == 404
    assert (
        client_a.get(
            reverse("applications:document_download", args=[public_id, document.public_id])
        ).status_code
        == 404
    )
    correction.refresh_from_db()
    assert correction.is_open


def client_a_user_of(application):
    return application.client.user


def test_a_representative_cannot_use_the_client_pages(rep_a, application_a):
    for url in (reverse("clients:home"), app_url(application_a), correction_url(application_a)):
        assert rep_a.get(url).status_code == 404, url
    assert send(rep_a, application_a).status_code == 404
    assert rep_a.get(reverse("clients:set_password")).status_code == 404


def test_a_correction_request_is_stored_recorded_emailed_and_shown_to_the_representative(
    client_a, rep_a, application_a, outbox, caplog
):
    caplog.set_level(logging.DEBUG)
    person = application_a.principal_applicant
    about = f"form:imm5669:{person.public_id}"
    response = send(client_a, application_a, about=about)
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get()
    assert (correction.topic, correction.form, correction.person) == ("form", "imm5669", person)
    assert correction.message == MESSAGE
    event = ApplicationEvent.objects.get(action=ApplicationEvent.Action.CORRECTION_REQUESTED)
    assert (event.reason, event.person_public_id) == ("form", person.public_id)
    [email] = outbox.to("rep-a@example.test", "correction_requested")
    assert "CANARY-TYPED" not in str(email["context"])
    row = OutboxEmail.objects.get(key=email["key"])
    assert "CANARY-TYPED" not in row.body_text + row.body_html + row.subject
    assert str(application_a.public_id) in row.body_text
    assert "CANARY-TYPED" not in caplog.text
    # The client sees it on their page, the representative on the application's page.
    assert "CANARY-TYPED" in client_a.get(app_url(application_a)).content.decode()
    detail = rep_a.get(reverse("applications:detail", args=[application_a.public_id]))
    body = detail.content.decode()
    assert "CANARY-TYPED" in body
    assert resolve_url(correction) in body


def test_the_representative_marks_it_as_dealt_with(rep_a, rep_b, client_a, application_a):
    send(client_a, application_a)
    correction = CorrectionRequest.objects.get()
    assert rep_b.post(resolve_url(correction)).status_code == 404
    response = rep_a.post(resolve_url(correction))
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "resolved"
    assert correction.resolved_by == application_a.representative.user
    assert ApplicationEvent.objects.filter(
        action=ApplicationEvent.Action.CORRECTION_RESOLVED
    ).exists()
    assert rep_a.post(resolve_url(correction)).status_code == 409
    body = rep_a.get(reverse("applications:detail", args=[application_a.public_id])).content
    assert b"CANARY-TYPED" not in body  # only open requests are listed
    client_body = client_a.get(app_url(application_a)).content.decode()
    assert "Dealt with" in client_body
    assert "Your representative dealt with a correction you asked for" in client_body


@pytest.mark.parametrize(
    ("about", "message", "error"),
    [
        ("", MESSAGE, "Choose what needs correcting."),
        ("other", "   ", "Write what needs correcting."),
        (
            "form:imm5669:00000000-0000-4000-8000-000000000000",
            MESSAGE,
            "Choose one of the listed parts",
        ),
        ("other", "é" * 2001, "Your message is 2001 characters long; the limit is 2000."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(
    client_a, application_a, about, message, error
):
    response = send(client_a, application_a, about=about, message=message)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    if message.strip():
        assert message in body
    assert not CorrectionRequest.objects.exists()


def test_correction_requests_are_rate_limited(client_a, application_a, settings):
    settings.CLIENT_CORRECTION_REQUESTS_PER_DAY = 2
    assert send(client_a, application_a).status_code == 302
    assert send(client_a, application_a).status_code == 302
    response = send(client_a, application_a, message="CANARY-TYPED third one")
    assert response.status_code == 200
    body = response.content.decode()
    assert "the most correction requests allowed" in body
    assert "CANARY-TYPED third one" in body
    assert CorrectionRequest.objects.count() == 2


def test_french_pages(client_a, application_a):
    try:
        response = client_a.get("/fr" + app_url(application_a)[3:])
        assert response.status_code == 200
        assert 'lang="fr"' in response.content.decode()
    finally:
        translation.activate("en")  # the request left French active in this thread


# --- query budgets (QUALITY.md §9) ----------------------------------------------------------------


def test_home_queries_do_not_grow_with_applications(client_a, application_a):
    base = baseline(client_a)
    url = reverse("clients:home")
    at_1, response = count(client_a, "get", url)
    assert response.status_code == 200
    for _n in range(6):
        factories.make_application(
            client=application_a.client, representative=application_a.representative
        )
    at_7, response = count(client_a, "get", url)
    assert response.content.decode().count("data-application=") == 7
    assert at_1 == at_7
    assert at_7 - base <= 1


def test_application_page_queries_do_not_grow_with_history_documents_or_requests(
    client_a, application_a, rep_a_user
):
    base = baseline(client_a)
    url = app_url(application_a)

    def grow(n):
        for i in range(n):
            ApplicationEvent.objects.create(
                application=application_a,
                action=ApplicationEvent.Action.STATUS_CHANGED,
                actor=rep_a_user,
                new_status="draft",
            )
            CorrectionRequest.objects.create(
                application=application_a,
                topic="other",
                message=f"m{i}",
                created_by=application_a.client.user,
            )

    grow(1)
    factories.make_document(application=application_a, item_code="passport")
    small, response = count(client_a, "get", url)
    assert response.status_code == 200
    spouse = factories.make_person(application=application_a, relationship="10")
    factories.make_document(application=application_a, item_code="photo")
    factories.make_document(application=application_a, item_code="passport", person=spouse)
    grow(20)
    large, response = count(client_a, "get", url)
    assert response.status_code == 200
    assert small == large
    # application, people, form sections, documents, corrections, timeline events: one each
    # (the appointment panel is looked up only when the timeline shows an appointment).
    assert large - base <= 6


# --- document previews (uploads.md §14: read-only to the client during review) ---------------


def preview_urls(application, document):
    args = [application.public_id, document.public_id]
    return (
        reverse("clients:document_preview", args=args),
        reverse("clients:document_page", args=[*args, 1]),
        reverse("clients:document_image", args=args),
    )


def test_the_client_previews_their_own_current_documents(client_a, application_a):
    pdf = factories.make_document(application=application_a)
    image = factories.make_document(
        application=application_a,
        item_code="photo",
        person=application_a.principal_applicant,
        name="photo.png",
        content=factories.png_bytes(),
    )
    preview, page, _image = preview_urls(application_a, pdf)
    body = client_a.get(app_url(application_a)).content.decode()
    assert preview in body
    response = client_a.get(preview)
    assert response.status_code == 200
    body = response.content.decode()
    assert page in body
    assert "download" not in body.lower()
    png = client_a.get(page)
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert client_a.get(preview_urls(application_a, pdf)[2]).status_code == 404  # not an image
    image_preview, _page, image_url = preview_urls(application_a, image)
    assert image_url in client_a.get(image_preview).content.decode()
    assert client_a.get(image_url)["Content-Type"] == "image/png"


def test_document_previews_are_404_for_others_and_for_replaced_files(
    client_a, rep_a, application_a, application_b
):
    from applications.models import Document

    foreign = factories.make_document(application=application_b)
    for url in preview_urls(application_b, foreign):
        assert client_a.get(url).status_code == 404, url
    own = factories.make_document(application=application_a)
    for url in preview_urls(application_a, own):
        assert rep_a.get(url).status_code == 404, url
    Document.objects.filter(pk=own.pk).update(state=Document.State.REPLACED)
    for url in preview_urls(application_a, own)[:2]:
        assert client_a.get(url).status_code == 404, url


def test_deleting_the_client_account_erases_the_typed_text(client_a, application_a, staff_user):
    from clients.services import client_account_delete

    send(client_a, application_a)
    client_account_delete(client=application_a.client, actor=staff_user)
    correction = CorrectionRequest.objects.get()
    assert correction.message == ""
    assert ApplicationEvent.objects.filter(
        action=ApplicationEvent.Action.CORRECTION_REQUESTED
    ).exists()


@pytest.mark.parametrize(
    ("status", "panel", "text"),
    [
        ("draft", None, None),
        ("awaiting_client_signature", "sign-panel", "Your representative sent this application"),
        ("client_signed", "sign-panel", "You have signed every item"),
        ("submitted", "submission-panel", "See the submission record"),
    ],
)
def test_the_page_leads_to_signing_or_to_the_submission(
    client_a, application_a, status, panel, text
):
    from applications.models import Application

    number = "A123456789" if status == "submitted" else None
    Application.objects.filter(pk=application_a.pk).update(status=status, application_number=number)
    body = client_a.get(app_url(application_a)).content.decode()
    sign_url = reverse("applications:sign", args=[application_a.public_id])
    if panel is None:
        assert "sign-panel" not in body and "submission-panel" not in body
        return
    assert f'data-testid="{panel}"' in body and text in body
    assert (sign_url in body) == (panel == "sign-panel")
