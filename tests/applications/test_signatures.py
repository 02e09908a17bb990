"""Signatures (issue 7): who signs what, name matching, invalidation, verification, pages."""

import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.errors import WrongState
from accounts.models import OutboxEmail
from applications import services as app_services
from applications import signatures
from applications.models import Application, ApplicationEvent, Person, SignatureEvent
from forms_imm import services as form_services
from forms_imm.sections import get_section_or_404
from tests import factories
from tests.conftest import signed_in
from tests.forms_imm.helpers import BORN, TODAY

pytestmark = pytest.mark.django_db
EVIDENCE = {"ip": "203.0.113.5", "user_agent": "pytest", "session_key_sha256": "0" * 64}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def family(application_a):
    pa = application_a.principal_applicant
    Person.objects.filter(pk=pa.pk).update(date_of_birth=BORN)
    pa.refresh_from_db()
    spouse = factories.make_person(
        application=application_a, relationship="10", family_name="Spouse",
        given_names="Sam", date_of_birth=BORN,
    )  # fmt: skip
    return application_a, pa, spouse


def save(application, person, slug, data):
    from forms_imm.sections import section_rows_with

    row = section_rows_with(application, person=person, form="imm5669", section=slug)[1]
    return form_services.form_section_save(
        application=application,
        person=person,
        section=get_section_or_404("imm5669", slug)[1],
        data=data,
        expected_version=row.version if row else 0,
        actor=application.representative.user,
    )


def sign(application, key, name):
    return signatures.signature_sign(
        application=application,
        key=key,
        typed_text=name,
        attested=True,
        user=application.client.user,
        evidence=EVIDENCE,
    )


def send(application):
    return signatures.application_send_for_signature(
        application=application, actor=application.representative.user
    )


def status_of(application):
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


def keys(pa, spouse) -> list[str]:
    """The default items, in display order: the consent on the PA's IMM 0008, then each IMM 5669."""
    return ["consent_declaration", f"imm5669:{pa.public_id}", f"imm5669:{spouse.public_id}"]


def test_by_default_the_pa_signs_the_consent_and_every_imm5669(family):
    application, pa, spouse = family
    required = signatures.required_signatures(application)
    assert [r.key for r in required] == keys(pa, spouse)
    assert [(r.signer, r.capacity) for r in required] == [
        (pa, "self"),
        (pa, "self"),
        (pa, "principal_applicant"),
    ]
    assert {r.state for r in required} == {"pending"}


def test_each_adult_signs_their_own_when_the_program_says_so(family):
    application, pa, spouse = family
    application.program.signing_mode = "each_adult_signs"
    application.program.save()
    required = signatures.required_signatures(application)
    assert [(r.signer, r.capacity) for r in required] == [
        (pa, "self"),
        (pa, "self"),
        (spouse, "self"),
    ]


def test_a_minor_pa_has_a_guardian_sign(family):
    application, pa, _spouse = family
    Person.objects.filter(pk=pa.pk).update(
        date_of_birth="2012-01-01", guardian_name="Gail Guardian", guardian_relationship="mother"
    )
    required = signatures.required_signatures(application)
    assert {r.capacity for r in required} == {"guardian"}
    assert {r.expected_name for r in required} == {"Gail Guardian"}


def test_signable_items_are_program_data(family):
    application, pa, spouse = family
    application.program.signable_items = ["consent"]
    application.program.save()
    assert [r.key for r in signatures.required_signatures(application)] == ["consent_declaration"]
    application.program.signable_items = ["imm5669"]
    application.program.save()
    assert [r.key for r in signatures.required_signatures(application)] == keys(pa, spouse)[1:]
    application.program.signable_items = []
    application.program.save()
    assert signatures.required_signatures(application) == []


def test_send_for_signature_moves_to_awaiting_and_emails_the_client(family):
    application, *_ = family
    send(application)
    assert status_of(application) == "awaiting_client_signature"
    email = OutboxEmail.objects.get(key__startswith="signature-requested:")
    assert email.to == application.client.user.email
    assert ApplicationEvent.objects.filter(action="signature.requested").count() == 1
    with pytest.raises(WrongState):
        send(application)


def test_signing_needs_the_profile_name_ignoring_case_and_spaces(family):
    application, pa, _spouse = family
    send(application)
    key = f"imm5669:{pa.public_id}"
    with pytest.raises(signatures.NameMismatch) as raised:
        sign(application, key, "Someone Else")
    assert "CANARY-A-Given CANARY-A-Family" in str(raised.value)
    assert not SignatureEvent.objects.exists()
    event = sign(application, key, "  canary-a-given   CANARY-a-family ")
    assert event.typed_text == "  canary-a-given   CANARY-a-family "
    assert event.name_matched and event.capacity == "self"
    assert event.content_sha256 == hashlib.sha256(event.content_json.encode()).hexdigest()
    assert event.content_json.encode() == form_services.canonical_form_json(
        application, pa, "imm5669"
    )
    assert event.seal == signatures.seal_for(event) and event.prev_sha256 == ""
    assert event.ip == "203.0.113.5" and event.signer_role == "client"
    assert status_of(application) == "awaiting_client_signature"


def test_signing_everything_makes_the_application_client_signed_and_emails_the_rep(family):
    application, pa, spouse = family
    send(application)
    consent = sign(application, "consent_declaration", pa.full_name)
    assert consent.subject_public_id == pa.public_id
    assert status_of(application) == "awaiting_client_signature"
    first = sign(application, f"imm5669:{pa.public_id}", pa.full_name)
    assert first.prev_sha256 == signatures.chain_hash(consent)
    second = sign(application, f"imm5669:{spouse.public_id}", pa.full_name)
    assert second.prev_sha256 == signatures.chain_hash(first)
    assert second.subject_public_id == spouse.public_id
    assert second.signer_person_public_id == pa.public_id
    assert status_of(application) == "client_signed"
    email = OutboxEmail.objects.get(key__startswith="client-signed:")
    assert email.to == application.representative.user.email


def test_only_the_client_signs_and_only_while_awaiting(family, rep_a_user):
    application, pa, _spouse = family
    key = f"imm5669:{pa.public_id}"
    with pytest.raises(WrongState):
        sign(application, key, pa.full_name)  # still a draft
    send(application)
    with pytest.raises(WrongState):
        signatures.signature_sign(
            application=application, key=key, typed_text=pa.full_name, attested=True,
            user=rep_a_user, evidence=EVIDENCE,
        )  # fmt: skip
    with pytest.raises(WrongState):
        sign(application, "imm5669:not-a-person", pa.full_name)


def _sign_all(application, pa, spouse):
    send(application)
    for key in keys(pa, spouse):
        sign(application, key, pa.full_name)
    application.refresh_from_db()


def test_an_edit_invalidates_only_the_signature_it_touches(family):
    application, pa, spouse = family
    _sign_all(application, pa, spouse)
    save(application, spouse, "background", {"details": "changed"})
    states = {r.key: r.state for r in signatures.required_signatures(application)}
    assert states == {
        "consent_declaration": "signed",
        f"imm5669:{pa.public_id}": "signed",
        f"imm5669:{spouse.public_id}": "invalidated",
    }
    assert status_of(application) == "awaiting_client_signature"
    assert OutboxEmail.objects.filter(key__startswith="sign-again:").count() == 1
    assert ApplicationEvent.objects.filter(action="signature.invalidated").count() == 1
    # Signing again restores it.
    application.refresh_from_db()
    sign(application, f"imm5669:{spouse.public_id}", pa.full_name)
    assert status_of(application) == "client_signed"


def test_a_profile_edit_that_flows_into_the_form_invalidates_it(family):
    application, pa, spouse = family
    _sign_all(application, pa, spouse)
    spouse.refresh_from_db()
    app_services.person_update(
        person=spouse, changes={"given_names": "Samuel"}, expected_version=spouse.version,
        actor=application.representative.user,
    )  # fmt: skip
    states = [r.state for r in signatures.required_signatures(application)]
    # The name flows into the spouse's IMM 5669 only: the PA's consent and form stay signed.
    assert states == ["signed", "signed", "invalidated"]


def test_removing_a_family_member_leaves_the_other_signatures_valid(family):
    application, pa, spouse = family
    _sign_all(application, pa, spouse)
    app_services.person_remove(person=spouse, actor=application.representative.user)
    required = signatures.required_signatures(application)
    assert [r.key for r in required] == keys(pa, spouse)[:2]
    assert [r.state for r in required] == ["signed", "signed"]
    assert status_of(application) == "client_signed"


def test_adding_an_adult_asks_for_their_signature(family):
    application, pa, spouse = family
    _sign_all(application, pa, spouse)
    app_services.person_add(
        application=application,
        values={"relationship": "02", "family_name": "Kid", "given_names": "Kim",
                "date_of_birth": BORN},
        actor=application.representative.user,
    )  # fmt: skip
    assert status_of(application) == "awaiting_client_signature"
    assert [r.state for r in signatures.required_signatures(application)] == [
        "signed", "signed", "signed", "pending",
    ]  # fmt: skip


def test_a_save_without_changes_invalidates_nothing(family):
    application, pa, spouse = family
    save(application, spouse, "background", {"details": "same"})
    _sign_all(application, pa, spouse)
    save(application, spouse, "background", {"details": "same"})
    assert status_of(application) == "client_signed"
    assert not ApplicationEvent.objects.filter(action="signature.invalidated").exists()


def test_signature_records_are_append_only(family):
    application, pa, spouse = family
    _sign_all(application, pa, spouse)
    for sql in (
        "UPDATE applications_signatureevent SET typed_text = 'x'",
        "DELETE FROM applications_signatureevent",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert SignatureEvent.objects.count() == 3


def test_verify_signatures_passes_then_catches_a_change_made_in_the_database(family):
    application, pa, spouse = family
    save(application, spouse, "background", {"details": "original"})
    _sign_all(application, pa, spouse)
    out = StringIO()
    call_command("verify_signatures", stdout=out)
    assert "All signatures verified." in out.getvalue()
    from forms_imm.models import FormSection

    FormSection.objects.filter(person=spouse).update(data={"details": "tampered"})
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_signatures", stdout=out)
    assert f"item=imm5669:{spouse.public_id}" in out.getvalue()
    assert f"item=imm5669:{pa.public_id}" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("verify_signatures", application=str(application.public_id), stdout=out)


# --- pages --------------------------------------------------------------------------------------


def sign_url(application):
    return reverse("applications:sign", kwargs={"public_id": application.public_id})


@pytest.fixture
def client_browser(family):
    application, *_ = family
    return signed_in(application.client.user)


def test_the_representative_sends_for_signature_from_the_detail_page(family, rep_a):
    application, *_ = family
    detail = reverse("applications:detail", kwargs={"public_id": application.public_id})
    page = rep_a.get(detail)
    assert b"Send to the client for signature" in page.content
    response = rep_a.post(
        reverse("applications:send_for_signature", kwargs={"public_id": application.public_id})
    )
    assert response.status_code == 302
    assert status_of(application) == "awaiting_client_signature"


def test_another_rep_cannot_send_and_gets_404(family, rep_b):
    application, *_ = family
    url = reverse("applications:send_for_signature", kwargs={"public_id": application.public_id})
    assert rep_b.post(url).status_code == 404
    assert status_of(application) == "draft"


def test_the_signing_page_is_the_clients_only(family, rep_a, rep_b, client_browser):
    application, *_ = family
    assert rep_a.get(sign_url(application)).status_code == 404
    assert rep_b.get(sign_url(application)).status_code == 404
    # Another client who has chosen their own password (or the temporary one redirects first).
    other = factories.make_client(user=factories.make_user(role="client"), activated=True)
    assert signed_in(other.user).get(sign_url(application)).status_code == 404
    assert client_browser.get(sign_url(application)).status_code == 200


def test_the_client_signs_one_item_at_a_time_on_the_page(family, client_browser):
    application, pa, spouse = family
    send(application)
    page = client_browser.get(sign_url(application))
    assert page.status_code == 200
    assert pa.full_name.encode() in page.content
    wrong = client_browser.post(
        sign_url(application),
        {"item": f"imm5669:{spouse.public_id}", "s2-typed_name": "Nobody", "s2-attest": "on"},
    )
    assert wrong.status_code == 400
    assert b"Type the name exactly as in the profile" in wrong.content
    assert b'value="Nobody"' in wrong.content  # nothing typed is lost
    missing = client_browser.post(
        sign_url(application), {"item": f"imm5669:{spouse.public_id}", "s2-typed_name": "x"}
    )
    assert b"Confirm the statement to sign this item." in missing.content
    for index, key in enumerate(keys(pa, spouse)):
        response = client_browser.post(
            sign_url(application),
            {"item": key, f"s{index}-typed_name": pa.full_name, f"s{index}-attest": "on"},
        )
        assert response.status_code == 302
    assert status_of(application) == "client_signed"
    assert b"Nothing to sign now" in client_browser.get(sign_url(application)).content


def test_the_signing_page_query_count_does_not_grow_with_people(
    family, client_browser, django_assert_max_num_queries
):
    application, *_ = family
    send(application)
    with django_assert_max_num_queries(14) as small:
        client_browser.get(sign_url(application))
    for index in range(4):
        factories.make_person(
            application=application, relationship="02", family_name=f"Kid{index}",
            given_names="K", date_of_birth=BORN,
        )  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client_browser.get(sign_url(application))
    assert page.content.count(b"data-item=") == 7  # the consent and six IMM 5669


def test_the_task_list_shows_signatures_only_once_sent(family):
    from applications.tasks_list import application_task_list

    application, pa, spouse = family
    assert not [t for t in application_task_list(application) if t.kind == "signature"]
    send(application)
    application.refresh_from_db()
    tasks = {t.code: t for t in application_task_list(application) if t.kind == "signature"}
    assert set(tasks) == {
        "signature:consent_declaration",
        f"signature:imm5669:{pa.public_id}",
        f"signature:imm5669:{spouse.public_id}",
        "declaration",
    }
    assert not any(t.done for t in tasks.values())
    sign(application, f"imm5669:{pa.public_id}", pa.full_name)
    application.refresh_from_db()
    tasks = {t.code: t for t in application_task_list(application) if t.kind == "signature"}
    assert tasks[f"signature:imm5669:{pa.public_id}"].done
    save(application, pa, "background", {"details": "changed"})
    application.refresh_from_db()
    tasks = {t.code: t for t in application_task_list(application) if t.kind == "signature"}
    assert "Signature needed again" in str(tasks[f"signature:imm5669:{pa.public_id}"].label)
