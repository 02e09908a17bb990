"""What changed since the previous submission: the pure manifest diff, and the admin page that
shows it after a real return and resubmission."""

import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from applications import services, staff
from applications.changes import ManifestDiff, manifest_diff
from applications.models import Application
from applications.uploads import upload_check
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.conftest import signed_in
from tests.corpus import make_uploads
from tests.forms_imm.helpers import TODAY
from tests.staff.helpers import OFFICER, make_staff_in

PA, SPOUSE = "p-1", "p-2"


def _manifest(*, forms=None, files=None, signatures=None, declaration="d1"):
    return {
        "forms": forms or {},
        "files": {
            f"doc-{slot}-{sha}": {"slot": slot, "sha256": sha, "size": 1}
            for slot, sha in (files or {}).items()
        },
        "signatures": signatures or {},
        "declaration": declaration,
    }


BEFORE = _manifest(
    forms={f"imm0008:{PA}": "a", f"imm5669:{PA}": "b", f"imm5669:{SPOUSE}": "c"},
    files={"passport--p-1": "x", "photos--p-1": "y", "fee_receipt": "z"},
    signatures={f"imm5669:{PA}": "s1", f"imm5669:{SPOUSE}": "s2"},
)

ALL_SLOTS = ["fee_receipt", "passport--p-1", "photos--p-1"]


def test_identical_manifests_differ_in_nothing():
    assert manifest_diff(BEFORE, BEFORE) == ManifestDiff()
    assert manifest_diff(BEFORE, BEFORE).is_empty


def test_forms_documents_and_signatures_are_compared_by_hash():
    after = _manifest(
        forms={f"imm0008:{PA}": "a2", f"imm5669:{PA}": "b", f"imm5406:{PA}": "n"},
        files={"passport--p-1": "x2", "fee_receipt": "z", "marriage": "m"},
        signatures={f"imm5669:{PA}": "s1-new", f"imm5406:{PA}": "s3"},
        declaration="d2",
    )
    diff = manifest_diff(BEFORE, after)
    assert diff.forms_changed == [f"imm0008:{PA}"]
    assert diff.forms_added == [f"imm5406:{PA}"]
    assert diff.forms_removed == [f"imm5669:{SPOUSE}"]
    assert diff.documents_added == ["marriage"]
    assert diff.documents_replaced == ["passport--p-1"]
    assert diff.documents_removed == ["photos--p-1"]
    assert diff.signatures_new == [f"imm5406:{PA}", f"imm5669:{PA}"]
    assert diff.declaration_new and not diff.is_empty


def test_an_empty_or_older_manifest_is_read_as_nothing_listed():
    diff = manifest_diff({}, BEFORE)
    assert diff.forms_added == sorted(BEFORE["forms"])
    assert diff.documents_added == ALL_SLOTS
    assert manifest_diff(BEFORE, {}).documents_removed == ALL_SLOTS


# --- the admin page after a real return and resubmission ---------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


@pytest.mark.django_db
def test_staff_see_what_changed_since_the_returned_submission(frozen, rep_a, application_a):
    make_ready(rep_a, application_a)
    sign_everything(application_a)
    declare(application_a)
    submit(application_a)
    officer = make_staff_in(OFFICER)
    staff.staff_action(application=application_a, code="check_start", actor=officer)
    staff.staff_action(
        application=application_a,
        code="return_incomplete",
        actor=officer,
        reasons=["missing_item"],
    )
    page = signed_in(officer)
    url = reverse("admin:applications_application_change", args=[application_a.pk])
    assert "Changes since the previous submission" not in page.get(url).content.decode()
    # The representative replaces a document and adds an optional one, then submits again
    # (the declaration stays valid: a returned application is not in a signing state).
    document = application_a.documents.filter(
        state="current", checklist_item__kind="document", checklist_item__wet_signature=False
    ).first()
    services.document_upload(
        application=application_a,
        slot_key=document.slot_key,
        checked=upload_check(
            SimpleUploadedFile("new.pdf", make_uploads.pdf_bytes(make_uploads.new_pdf(pages=2))),
            allowed_kinds={"pdf"},
        ),
        details={},
        actor=application_a.representative.user,
    )
    Application.objects.filter(pk=application_a.pk).update(status="rep_declared")
    application_a.refresh_from_db()
    assert submit(application_a, uuid.uuid4()).created
    html = page.get(url).content.decode()
    assert "Changes since the previous submission" in html
    assert "Documents replaced" in html
    who = document.person
    name = document.checklist_item.name_en
    assert escape(f"{name} — {who.given_names} {who.family_name}" if who else name) in html
    assert "Forms changed" not in html  # no form was edited
