"""The staff view of a whole application (issue 8 item 1): each signature with its
verification result, each submission's manifest and its package, through the staff door."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import AuditEvent
from applications import signatures
from applications.models import Application
from applications.uploads import upload_store
from forms_imm.canonical import canonical_json
from forms_imm.models import FormSection
from forms_imm.services import canonical_form_json
from tests import factories
from tests.conftest import signed_in
from tests.corpus import make_uploads
from tests.staff.helpers import OFFICER, make_staff_in

pytestmark = pytest.mark.django_db


def sign_pa(application, count=1):
    """``count`` sealed, chained signatures of the PA's IMM 5669, as signature_sign records."""
    pa = application.principal_applicant
    content = canonical_form_json(application, pa, "imm5669")
    for _ in range(count):
        signatures._record(
            application,
            form_key=f"imm5669:{pa.public_id}",
            form="imm5669",
            signer=application.client.user,
            signer_role="client",
            subject_public_id=pa.public_id,
            capacity="self",
            typed_text="Jane Doe",
            attestation_version="v1",
            attestation_sha256="0" * 64,
            content_json=content.decode(),
            content_sha256=hashlib.sha256(content).hexdigest(),
        )


@pytest.fixture
def submitted(application_a):
    Application.objects.filter(pk=application_a.pk).update(status="submitted")
    return application_a


@pytest.fixture
def officer():
    return signed_in(make_staff_in(OFFICER))


def change_url(application):
    return reverse("admin:applications_application_change", args=[application.pk])


def package_url(application, number=1):
    return reverse("admin:applications_application_package", args=[application.pk, number])


def test_the_officer_sees_each_signature_verified(officer, submitted):
    sign_pa(submitted, 2)
    page = officer.get(change_url(submitted)).content.decode()
    assert page.count("Verified: seal valid, chain intact, content unchanged") == 2
    assert "Jane Doe" in page and "Failed" not in page
    assert "will show here once" not in page


def test_a_changed_form_and_a_broken_seal_show_failed(officer, submitted):
    sign_pa(submitted)
    FormSection.objects.create(
        application=submitted, person=submitted.principal_applicant, form="imm5669",
        section="background",
        data={"details": "tampered"}, version=1,
    )  # fmt: skip
    page = officer.get(change_url(submitted)).content.decode()
    assert "Failed" in page and "the form changed since it was signed" in page
    with override_settings(SIGNATURE_SEAL_KEY="another-key"):
        page = officer.get(change_url(submitted)).content.decode()
    assert "the seal does not match: the record was altered" in page
    # the page and the command agree
    problems = signatures.signatures_verify(application_id=submitted.public_id)
    assert [p.problem for p in problems] == ["content"]


def test_signatures_cost_the_same_queries_at_2_and_8(officer, submitted):
    sign_pa(submitted, 2)
    officer.get(change_url(submitted))
    with CaptureQueriesContext(connection) as two:
        assert officer.get(change_url(submitted)).status_code == 200
    sign_pa(submitted, 6)
    with CaptureQueriesContext(connection) as eight:
        page = officer.get(change_url(submitted))
    assert page.content.decode().count("Verified: seal valid") == 8
    assert len(eight) == len(two)


def test_the_manifest_shows_with_its_hashes_and_result(officer, submitted):
    document = factories.make_document(application=submitted)
    manifest = {
        "forms": {f"imm5669:{submitted.principal_applicant.public_id}": "a" * 64},
        "files": {
            str(document.public_id): {
                "slot": document.slot_key, "sha256": document.file.sha256,
                "size": document.file.size,
            }
        },
    }  # fmt: skip
    good = hashlib.sha256(canonical_json(manifest)).hexdigest()
    factories.make_submission(application=submitted, manifest=manifest, manifest_sha256=good)
    factories.make_submission(
        application=submitted, number=2, manifest=manifest, manifest_sha256="b" * 64
    )
    page = officer.get(change_url(submitted)).content.decode()
    assert "Submission 1" in page and "Submission 2" in page
    assert good in page and document.file.sha256 in page and "a" * 64 in page
    assert page.count("Verified: manifest and files match") == 1
    assert "the manifest does not match its hash" in page
    assert "Being prepared" in page  # no package yet: no link


def test_the_package_downloads_through_the_staff_door_audited(officer, submitted, rep_a, client_a):
    stored = upload_store(
        _checked_pdf(), uploaded_by=submitted.representative.user, purpose="documents"
    )
    factories.make_submission(application=submitted, package=stored, package_status="ready")
    page = officer.get(change_url(submitted)).content.decode()
    assert package_url(submitted) in page
    response = officer.get(package_url(submitted))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="file.downloaded").exists()
    assert officer.get(package_url(submitted, 2)).status_code == 404
    # staff without the permission, the representative and the client cannot reach it
    assert signed_in(factories.make_staff()).get(package_url(submitted)).status_code == 403
    for outsider in (rep_a, client_a):
        assert outsider.get(package_url(submitted)).status_code in (302, 403, 404)


def test_staff_without_view_permission_is_refused_the_page(submitted):
    sign_pa(submitted)
    assert signed_in(factories.make_staff()).get(change_url(submitted)).status_code == 403


def _checked_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.uploads import upload_check

    return upload_check(
        SimpleUploadedFile("package.pdf", make_uploads.good_pdf()),
        allowed_kinds={"pdf"},
        allow_active_pdf=True,
    )


def preview_url(application, document, view="document_preview", *extra):
    return reverse(
        f"admin:applications_application_{view}",
        args=[application.public_id, document.public_id, *extra],
    )


def test_the_officer_previews_a_document_audited(officer, submitted):
    document = factories.make_document(application=submitted)
    page = officer.get(change_url(submitted)).content.decode()
    assert preview_url(submitted, document) in page
    preview = officer.get(preview_url(submitted, document))
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    assert preview_url(submitted, document, "document_page", 1) in preview.content.decode()
    assert AuditEvent.objects.filter(action="document.viewed").exists()
    png = officer.get(preview_url(submitted, document, "document_page", 1))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert officer.get(preview_url(submitted, document, "document_page", 99)).status_code == 404
    assert officer.get(preview_url(submitted, document, "document_image")).status_code == 404


def test_a_document_preview_is_closed_to_others(submitted, application_b, rep_a, client_a):
    document = factories.make_document(application=submitted)
    assert (
        signed_in(factories.make_staff()).get(preview_url(submitted, document)).status_code == 403
    )
    for outsider in (rep_a, client_a):
        assert outsider.get(preview_url(submitted, document)).status_code in (302, 403, 404)
    # a draft is not in the queue, and a document of another application is not this one's
    officer = signed_in(make_staff_in(OFFICER))
    assert officer.get(preview_url(application_b, document)).status_code == 404
