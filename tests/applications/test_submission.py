"""Declaration, submit gate, submission (atomic, idempotent, capped), package and record."""

import re
import threading
import uuid
from io import StringIO

import pypdfium2
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.errors import WrongState
from accounts.models import OutboxEmail
from applications import signatures, submission
from applications.models import Application, ApplicationEvent, ProgramIntake, Submission
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.conftest import signed_in
from tests.forms_imm.helpers import TODAY

EVIDENCE = {"ip": "203.0.113.9", "user_agent": "pytest"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def sign_everything(application):
    application.refresh_from_db()
    if application.status == "draft":
        signatures.application_send_for_signature(
            application=application, actor=application.representative.user
        )
    for entry in signatures.required_signatures(application):
        if not entry.is_valid:
            signatures.signature_sign(
                application=application, key=entry.key, typed_text=entry.expected_name,
                attested=True, user=application.client.user, evidence=EVIDENCE,
            )  # fmt: skip
    application.refresh_from_db()


def declare(application):
    submission.representative_declare(
        application=application, actor=application.representative.user, evidence=EVIDENCE
    )
    application.refresh_from_db()


def submit(application, token=None):
    return submission.application_submit(
        application=application, actor=application.representative.user, token=token or uuid.uuid4()
    )


def url(name, application):
    return reverse(f"applications:{name}", kwargs={"public_id": application.public_id})


@pytest.fixture
def ready(db, rep_a, application_a):
    pa, spouse = make_ready(rep_a, application_a)
    return application_a, pa, spouse


@pytest.mark.django_db
def test_the_gate_lists_signatures_and_the_declaration_until_they_are_done(ready, rep_a):
    application, pa, spouse = ready
    codes = [m.code for m in submission.submission_gate(application)]
    assert codes == ["signature:consent_declaration", f"signature:imm5669:{pa.public_id}",
                     f"signature:imm5669:{spouse.public_id}", "declaration"]  # fmt: skip
    page = rep_a.get(url("submit", application))
    assert page.status_code == 200
    assert b"disabled" in page.content and b"Signature of Schedule A" in page.content
    sign_everything(application)
    assert [m.code for m in submission.submission_gate(application)] == ["declaration"]
    declare(application)
    assert submission.submission_gate(application) == []
    assert b'data-testid="ready"' in rep_a.get(url("submit", application)).content


@pytest.mark.django_db
def test_the_gate_rechecks_stored_answers_and_links_to_the_section(ready):
    from forms_imm.models import FormSection

    application, pa, _spouse = ready
    FormSection.objects.filter(person=pa, section="history").update(data={})
    missing = {m.code: m.url for m in submission.submission_gate(application)}
    code = f"section:imm5669:{pa.public_id}:history"
    assert code in missing and missing[code].endswith("/history/")


@pytest.mark.django_db
def test_the_declaration_waits_for_every_signature_and_an_edit_clears_it(ready, rep_a):
    from tests.applications.test_signatures import save

    application, _pa, spouse = ready
    with pytest.raises(WrongState):
        declare(application)
    sign_everything(application)
    response = rep_a.post(url("submit", application), {"action": "declare"})
    assert response.status_code == 400 and b"Check the declaration to make it." in response.content
    response = rep_a.post(url("submit", application), {"action": "declare", "declare": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "rep_declared"
    event = signatures.latest_signatures(application)["rep_declaration"]
    assert event.capacity == "representative" and event.seal == signatures.seal_for(event)
    save(application, spouse, "background", {**spouse_background(spouse), "details": "new"})
    application.refresh_from_db()
    assert application.status == "awaiting_client_signature"
    codes = [m.code for m in submission.submission_gate(application)]
    assert "declaration" in codes and f"signature:imm5669:{spouse.public_id}" in codes


def spouse_background(spouse):
    from forms_imm.models import FormSection

    return FormSection.objects.get(person=spouse, section="background").data


@pytest.mark.django_db
def test_submission_numbers_locks_stores_the_manifest_emails_both_and_renders_the_package(
    ready, rep_a, django_capture_on_commit_callbacks
):
    application, pa, spouse = ready
    sign_everything(application)
    declare(application)
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_a.post(url("submit", application), {"submission_token": str(token)})
    assert response.status_code == 302 and response.url == url("submission", application)
    application.refresh_from_db()
    assert application.status == "submitted" and not application.is_editable
    assert re.fullmatch(r"[A-Z][0-9]{9}", application.application_number)
    assert application.application_number[0] == application.program.application_number_prefix
    record = Submission.objects.get()
    assert record.number == 1 and record.token == token
    assert record.application_number == application.application_number
    # Every digital form of each person: IMM 0008 (the spouse's dependant pages), IMM 5669 and
    # IMM 5406 (this program does not ask for IMM 5562).
    assert set(record.manifest["forms"]) == {
        f"{form}:{person.public_id}"
        for form in ("imm0008", "imm5669", "imm5406")
        for person in (pa, spouse)
    }
    assert record.manifest["files"] and all(
        len(f["sha256"]) == 64 for f in record.manifest["files"].values()
    )
    emails = OutboxEmail.objects.filter(key__startswith="submitted-")
    assert sorted(e.to for e in emails) == sorted(
        [application.client.user.email, application.representative.user.email]
    )
    assert all(application.application_number in e.subject for e in emails)
    # The package (rendered by the pdf task, eager in tests) holds the number and the names.
    record.refresh_from_db()
    assert record.package is not None and record.package_status == "ready"
    pdf = pypdfium2.PdfDocument(record.package.file.open("rb").read())
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert application.application_number in text
    assert "CANARY-A-Family" in text and "Spouse" in text
    # Submitting again (a double click, the same token or a new page) changes nothing.
    assert (
        rep_a.post(url("submit", application), {"submission_token": str(token)}).status_code == 302
    )
    assert submit(application, token).created is False
    assert submit(application).submission == record
    assert Submission.objects.count() == 1 and emails.count() == 2
    out = StringIO()
    call_command("verify_signatures", stdout=out)
    assert "All signatures verified." in out.getvalue()


@pytest.mark.django_db
def test_verification_catches_an_edited_manifest_and_a_changed_or_lost_file(
    ready, rep_a, django_capture_on_commit_callbacks
):
    from django.core.management import CommandError

    from applications.models import Document
    from applications.submission import submissions_verify

    application, *_ = ready
    sign_everything(application)
    declare(application)
    with django_capture_on_commit_callbacks(execute=True):
        rep_a.post(url("submit", application), {"submission_token": str(uuid.uuid4())})
    record = Submission.objects.get()
    assert submissions_verify() == []
    # A file changed in storage after submission.
    listed = list(record.manifest["files"])
    document = Document.objects.select_related("file").get(public_id=listed[0])
    with document.file.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 changed behind the portal")
    # Another one lost.
    lost = Document.objects.select_related("file").get(public_id=listed[1])
    lost.file.file.storage.delete(lost.file.file.name)
    # And the manifest edited in the database.
    manifest = {**record.manifest, "application_number": "Z999999999"}
    Submission.objects.filter(pk=record.pk).update(manifest=manifest)
    found = {(p.form_key, p.problem) for p in submissions_verify()}
    assert found == {
        ("submission:1", "manifest"),
        (f"file:{listed[0]}", "file"),
        (f"file:{listed[1]}", "lost"),
    }
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_signatures", stdout=out)
    assert "check=manifest" in out.getvalue() and "check=lost" in out.getvalue()


@pytest.mark.django_db
def test_the_record_and_the_package_are_for_the_rep_and_the_client_only(
    ready, rep_a, rep_b, django_capture_on_commit_callbacks
):
    application, *_ = ready
    assert rep_a.get(url("submission", application)).status_code == 404  # not submitted yet
    sign_everything(application)
    declare(application)
    with django_capture_on_commit_callbacks(execute=True):
        submit(application)
    client = signed_in(application.client.user)
    for browser in (rep_a, client):
        assert browser.get(url("submission", application)).status_code == 200, browser
        download = browser.get(url("submission_package", application))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Another client who has chosen their own password (a temporary one redirects first).
    other = signed_in(
        factories.make_client(user=factories.make_user(role="client"), activated=True).user
    )
    for browser in (rep_b, other):
        assert browser.get(url("submission", application)).status_code == 404
        assert browser.get(url("submission_package", application)).status_code == 404
    assert client.get(url("submit", application)).status_code in (302, 403, 404)


@pytest.mark.django_db
def test_over_the_cap_the_application_is_returned(ready):
    application, *_ = ready
    ProgramIntake.objects.filter(program=application.program).update(cap=1, used=1)
    sign_everything(application)
    declare(application)
    result = submit(application)
    assert result.over_cap and result.submission is None
    application.refresh_from_db()
    assert application.status == "returned_other" and application.application_number is None
    assert ApplicationEvent.objects.filter(reason="cap_reached").exists()
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_the_pages_query_counts_do_not_grow_with_people(
    ready, rep_a, django_assert_max_num_queries
):
    application, *_ = ready
    sign_everything(application)
    declare(application)
    with django_assert_max_num_queries(60) as before:
        rep_a.get(url("submit", application))
    submit_queries = len(before.captured_queries)
    submit(application)
    with django_assert_max_num_queries(20) as before:
        rep_a.get(url("submission", application))
    record_queries = len(before.captured_queries)
    for index in range(3):
        factories.make_person(application=application, relationship="02", family_name=f"K{index}")
    with django_assert_max_num_queries(record_queries):
        rep_a.get(url("submission", application))
    Application.objects.filter(pk=application.pk).update(status="rep_declared")
    with django_assert_max_num_queries(submit_queries):
        rep_a.get(url("submit", application))


# --- concurrency --------------------------------------------------------------------------------


def _parallel(calls):
    errors, results = [], []
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - collected and checked below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submits_make_one_submission_and_one_set_of_emails(ready):
    application, *_ = ready
    sign_everything(application)
    declare(application)
    tokens = [uuid.uuid4() for _ in range(10)] * 2  # double clicks and other tabs
    results, errors = _parallel([lambda t=t: submit(application, t) for t in tokens])
    assert errors == []
    assert Submission.objects.count() == 1
    assert sum(r.created for r in results) == 1
    assert {r.submission.pk for r in results} == {Submission.objects.get().pk}
    assert OutboxEmail.objects.filter(key__startswith="submitted-").count() == 2
    assert ProgramIntake.objects.get(program=application.program).used == 1


@pytest.mark.django_db(transaction=True)
def test_with_a_cap_of_n_exactly_n_of_n_plus_3_parallel_submissions_are_admitted(rep_a, rep_a_user):
    cap = 2
    applications = []
    for index in range(cap + 3):
        application = factories.make_application(
            representative=rep_a_user.representative,
            client=factories.make_client(email=f"c{index}@example.test"),
            family_name=f"Family{index}", given_names="Pat",
        )  # fmt: skip
        make_ready(rep_a, application)
        sign_everything(application)
        declare(application)
        applications.append(application)
    ProgramIntake.objects.filter(program=applications[0].program).update(cap=cap, used=0)
    results, errors = _parallel([lambda a=a: submit(a) for a in applications])
    assert errors == []
    assert sum(1 for r in results if r.created) == cap
    assert sum(1 for r in results if r.over_cap) == 3
    assert Submission.objects.count() == cap
    assert ProgramIntake.objects.get(program=applications[0].program).used == cap
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["returned_other"] * 3 + ["submitted"] * cap


@pytest.mark.django_db
def test_a_document_change_after_the_declaration_clears_only_the_declaration(ready):
    from applications.services import document_delete

    application, *_ = ready
    extra = factories.make_document(application=application, item_code=None)
    sign_everything(application)
    declare(application)
    document_delete(document=extra, actor=application.representative.user)
    application.refresh_from_db()
    assert application.status == "client_signed"
    assert [m.code for m in submission.submission_gate(application)] == ["declaration"]
