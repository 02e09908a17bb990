"""The bad-upload corpus (tests/corpus/make_uploads.py) through the documents upload view.

Every bad file is posted as a browser would post it, to a slot whose options match the case
(IRCC-form slot, photo slot, or the additional-documents slot that takes every type): the
answer is the page again (200) with the case's own message next to the file field, and
nothing is stored (no document, no stored file, no bytes in storage). Every clean control file
is accepted into its slot.
"""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent, StoredFile
from applications.documents import slot_key
from applications.models import Document
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db


def slot_for(case, application) -> str:
    options = case.options
    pa = application.principal_applicant
    if options.get("allow_active_pdf"):
        return slot_key("imm5475", pa)  # an IRCC-form slot (PDF only, scripts flagged)
    if options.get("min_width") or options.get("allowed_kinds") == corpus.IDENTITY:
        return slot_key("photo", pa)  # images only, at least 420 × 540
    return "additional_documents"  # every type


def browser_multipart(fields: dict, file_field: str, name: str, content: bytes):
    """A multipart/form-data body encoded as browsers do (HTML's rule: CR, LF and the double
    quote in a file name become %0D, %0A and %22)."""
    boundary = "----PortalCorpusBoundary7MA4YWxkTrZu0gW"
    quoted = name.replace("\r", "%0D").replace("\n", "%0A").replace('"', "%22")
    lines = []
    for key, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{key}"'.encode(),
            b"",
            str(value).encode(),
        ]
    lines += [
        f"--{boundary}".encode(),
        f'Content-Disposition: form-data; name="{file_field}"; filename="{quoted}"'.encode(),
        b"Content-Type: application/octet-stream",
        b"",
        content,
        f"--{boundary}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def post_file(client, application, key, name, content):
    body, content_type = browser_multipart({}, "file", name, content)
    target = reverse("applications:document_upload", args=[application.public_id, key])
    return client.generic("POST", target, body, content_type=content_type)


def storage_is_empty() -> bool:
    root = Path(default_storage.location)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


# Cases whose hostile part is only in the file name: Django's request parser already drops
# control and text-direction characters from uploaded file names, so the pipeline sees the
# cleaned name. They are still refused (the cleaned name is not an accepted type), except the
# CR/LF name, which browsers send as "%0D%0A" and which becomes a harmless "a0D0Ab.pdf".
NAME_CLEANED_BY_DJANGO = {"rlo-name": "type_not_allowed", "nul-in-name": "type_not_allowed"}
HARMLESS_OVER_HTTP = {"newline-in-name"}


@pytest.mark.parametrize("case", corpus.BAD, ids=lambda case: case.id)
def test_each_bad_file_is_refused_by_the_upload_view_with_its_message(
    case, rep_a, application_a, settings
):
    for name, value in case.options.get("settings", {}).items():
        setattr(settings, name, value)
    file_name, content = case.make()
    response = post_file(rep_a, application_a, slot_for(case, application_a), file_name, content)

    if case.id in HARMLESS_OVER_HTTP:
        assert response.status_code == 302
        document = Document.objects.get()
        assert document.file.display_name == "a0D0Ab.pdf"
        assert "\r" not in document.display_name and "\n" not in document.display_name
        return
    assert response.status_code == 200, case.id
    form = response.context["form"]
    expected = NAME_CLEANED_BY_DJANGO.get(case.id, case.expect)
    assert form.has_error("file", expected), (case.id, form.errors.as_data())
    message = form.errors["file"][0]
    assert message and escape(message) in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists()
    assert not StoredFile.objects.exists()
    assert storage_is_empty()
    assert AuditEvent.objects.filter(action="file.rejected", reason=expected).exists()


def test_the_corpus_has_at_least_40_bad_files_refused_through_the_view():
    refused = [case for case in corpus.BAD if case.id not in HARMLESS_OVER_HTTP]
    assert len(refused) >= 40


@pytest.mark.parametrize("case", corpus.GOOD, ids=lambda case: case.id)
def test_each_clean_control_file_is_accepted_by_the_upload_view(case, rep_a, application_a):
    file_name, content = case.make()
    key = slot_for(case, application_a)
    response = post_file(rep_a, application_a, key, file_name, content)

    assert response.status_code == 302, (
        case.id,
        response.context and response.context["form"].errors,
    )
    document = Document.objects.get(slot_key=key, state="current")
    assert document.file.kind == case.expect
    assert document.display_name.startswith("CANARY-A-Family – CANARY-A-Given – ")
    assert document.display_name.endswith(f" – 1.{document.file.file.name.rsplit('.', 1)[1]}")
