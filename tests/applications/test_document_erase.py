"""Deleting a client account created by mistake erases the uploads of its applications too:
document rows, stored-file rows, the bytes and the cached previews."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from accounts.models import StoredFile, User
from applications.document_files import preview_page_png
from applications.models import Document
from clients.services import client_account_delete
from tests import factories

pytestmark = pytest.mark.django_db


def files_in_storage() -> list[Path]:
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_client_account_deletion_erases_the_documents_and_their_bytes(
    rep_a_user, application_b, staff_user, django_capture_on_commit_callbacks
):
    user = factories.make_user(role=User.Role.CLIENT, email="mistake@example.test")
    client = factories.make_client(user=user)
    application = factories.make_application(
        representative=rep_a_user.representative, client=client
    )
    pa = application.principal_applicant
    main = factories.make_document(application=application, person=pa)
    factories.make_document(application=application, person=pa, state="part", part_of=main)
    old = factories.make_document(application=application, item_code="fee_receipt")
    Document.objects.filter(pk=old.pk).update(state="replaced")
    factories.make_document(
        application=application,
        item_code="fee_receipt",
        not_in_english_or_french=True,
        translation_file=main.file,
    )
    preview_page_png(main.file, 1)
    kept = factories.make_document(application=application_b)  # someone else's stays
    assert len(files_in_storage()) == 6

    with django_capture_on_commit_callbacks(execute=True):
        client_account_delete(client=client, actor=staff_user)

    assert not Document.objects.filter(application=application).exists()
    assert list(StoredFile.objects.all()) == [kept.file]
    assert [p.name for p in files_in_storage()] == [Path(kept.file.file.name).name]
