"""Representative B gets 404 on every URL of the applications app that names A's objects.

Walks every URL name in the ``applications`` namespace (not a sample): a name that takes
``public_id`` (and ``person_id``) is requested with application A's identifiers, by GET and by
POST, and must be a 404 whose body holds no canary of A. A name added later is covered
automatically; a name this test cannot fill fails it.
"""

import pytest
from django.urls import get_resolver, reverse

from tests import factories

pytestmark = pytest.mark.django_db


def application_url_names() -> list[tuple[str, list[str]]]:
    resolver = get_resolver()
    _, namespace_resolver = resolver.namespace_dict["applications"]
    names = []
    for pattern in namespace_resolver.url_patterns:
        converters = list(pattern.pattern.converters)
        names.append((pattern.name, converters))
    return names


def test_the_walk_sees_every_url_of_the_app():
    names = {name for name, _ in application_url_names()}
    assert {"dashboard", "create", "detail", "person_edit", "client_resend"} <= names
    # Every URL the app declares is walked (the count grows as views are added).
    assert len(names) >= 31


# A method a view does not take is a 405 for any UUID, before anything is looked up: no leak.
POST_ONLY = {
    "client_resend", "document_combine", "document_parts_remove", "correction_resolve",
    "send_for_signature", "withdraw", "reopen",
}  # fmt: skip
GET_ONLY = {
    "dashboard", "detail", "history", "documents", "document_preview", "document_page",
    "document_image", "document_download", "document_translation", "submission",
    "submission_package", "ecopr", "draft_pdf_download",
}  # fmt: skip


def expected_for(name, method):
    if (method == "get" and name in POST_ONLY) or (method == "post" and name in GET_ONLY):
        return 405
    return 404


def kwargs_for(converters, application, person):
    """``person`` has a PDF in their passport slot, with a file waiting to be combined, and an
    image with its translation in their identity-documents slot (tests/factories.py)."""
    pdf_document, image_document = _documents(application, person)
    values = {
        "public_id": application.public_id,
        "person_id": person.public_id,
        "slot_key": pdf_document.slot_key,
        "document_id": pdf_document.public_id,
        "page": 1,
    }
    if "correction_id" in converters:
        values["correction_id"] = _correction(application).public_id
    if "request_id" in converters:
        values["request_id"] = _document_request(application).public_id
    if "document_id" in converters and not {"page"} & set(converters):
        # The image and translation views need an image document with a translation.
        values["document_id"] = image_document.public_id
    missing = set(converters) - set(values)
    assert not missing, f"the test does not know how to fill {missing}"
    return {name: values[name] for name in converters}


def _correction(application):
    """An open correction request the client of ``application`` sent."""
    from clients.models import CorrectionRequest

    return CorrectionRequest.objects.filter(
        application=application
    ).first() or CorrectionRequest.objects.create(
        application=application,
        topic="other",
        message="CANARY-A correction",
        created_by=application.client.user,
    )


def _document_request(application):
    """A document request staff opened on ``application`` (answered after submission)."""
    import datetime

    from applications.models import DocumentRequest

    return DocumentRequest.objects.filter(
        application=application
    ).first() or DocumentRequest.objects.create(
        application=application,
        name="CANARY-A requested document",
        due_on=datetime.date(2030, 1, 1),
        requested_by=factories.make_staff(),
    )


def _documents(application, person):
    from applications.models import Document
    from tests.corpus import make_uploads

    pdf_document = Document.objects.filter(person=person, checklist_item__code="passport").first()
    if pdf_document is None:
        pdf_document = factories.make_document(application=application, person=person)
        factories.make_document(
            application=application, person=person, state="part", part_of=pdf_document
        )
    image_document = Document.objects.filter(
        person=person, checklist_item__code="identity_documents"
    ).first() or factories.make_document(
        application=application,
        person=person,
        item_code="identity_documents",
        name="id.jpg",
        content=make_uploads.good_jpeg(),
        not_in_english_or_french=True,
        translation_file=pdf_document.file,
    )
    return pdf_document, image_document


@pytest.mark.parametrize(("name", "converters"), application_url_names())
@pytest.mark.parametrize("method", ["get", "post"])
def test_representative_b_gets_404_for_every_url_naming_a_objects(
    rep_b, world, outbox, name, converters, method
):
    if not converters:  # the dashboard and the create page name no object
        assert rep_b.get(reverse(f"applications:{name}")).status_code == 200
        return
    application = world.application_a
    spouse = factories.make_person(
        application=application, relationship="10", family_name="CANARY-A-Spouse"
    )
    for person in (application.principal_applicant, spouse):
        url = reverse(f"applications:{name}", kwargs=kwargs_for(converters, application, person))
        response = getattr(rep_b, method)(url, {"family_name": "X", "expected_version": "1"})
        expected = expected_for(name, method)
        assert response.status_code == expected, (name, method, response.status_code)
        assert "CANARY-A" not in response.content.decode()
    assert outbox.emails == []
    application.refresh_from_db()
    assert application.events.count() == 0
    spouse.refresh_from_db()
    assert spouse.family_name == "CANARY-A-Spouse"


@pytest.mark.parametrize(("name", "converters"), application_url_names())
def test_a_missing_uuid_is_the_same_404(rep_a, world, name, converters):
    import uuid

    if not converters:
        return
    values = {"slot_key": "passport", "page": 1}
    url = reverse(
        f"applications:{name}", kwargs={c: values.get(c, uuid.uuid4()) for c in converters}
    )
    assert rep_a.get(url).status_code in (404, 405)


# Pages of a's own application that are 404 for its representative while it is a draft: the
# signing page is the client's (tests/applications/test_signatures.py), and there is no
# submission yet (tests/applications/test_submission.py covers them after one), nor an eCOPR,
# nor a draft PDF exported yet (tests/applications/test_draft_pdf.py). Requested documents and
# changes of circumstances are answered only after submission: a draft is the wrong state (409).
NOT_FOR_A_DRAFT_REPRESENTATIVE = {
    "sign": 404, "submission": 404, "submission_package": 404, "ecopr": 404,
    "draft_pdf_download": 404, "requested_document_upload": 409, "circumstance_report": 409,
}  # fmt: skip


@pytest.mark.parametrize(("name", "converters"), application_url_names())
def test_representative_a_reaches_every_url_of_a(rep_a, world, outbox, name, converters):
    application = world.application_a
    spouse = factories.make_person(application=application, relationship="10")
    kwargs = kwargs_for(converters, application, spouse) if converters else {}
    response = rep_a.get(reverse(f"applications:{name}", kwargs=kwargs))
    expected = 405 if name in POST_ONLY else NOT_FOR_A_DRAFT_REPRESENTATIVE.get(name, 200)
    assert response.status_code == expected
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"CANARY-B" not in body
