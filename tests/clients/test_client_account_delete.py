"""Deleting a client account created by mistake (workflow.md §12, issue 9 item 2): it can no
longer sign in, its email is freed for the representative portal, the personal data in its
applications is erased, and audit and history rows stay, naming it only by a pseudonym."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission

from accounts.models import AuditEvent, OutboxEmail, User
from accounts.services import audit_verify, email_send
from applications.models import Application, ApplicationEvent, Person
from clients.services import (
    PERSON_FIELDS_KEPT,
    ClientNotDeletable,
    client_account_delete,
)
from support.models import SupportRequest
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ADMIN = f"/en/{settings.ADMIN_URL_PATH}clients/client/"
EMAIL = "mistake@example.test"


@pytest.fixture
def mistaken(rep_a_user):
    """A client account, with an application, a spouse and some history."""
    user = factories.make_user(role=User.Role.CLIENT, email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    client = factories.make_client(user=user, activated=True)
    application = factories.make_application(
        representative=rep_a_user.representative,
        client=client,
        family_name="CANARY-DEL-Family",
        given_names="CANARY-DEL-Given",
        program_details={"province": "ON", "note": "CANARY-DEL detail"},
    )
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=datetime.date(1980, 5, 17), phone="+1 613 555 0199", uci="1234567890",
        birth_city="CANARY-DEL-City", guardian_name="CANARY-DEL-Guardian",
    )  # fmt: skip
    factories.make_person(
        application=application, relationship="10", family_name="CANARY-DEL-Spouse",
        given_names="CANARY-DEL-SpouseGiven", date_of_birth=datetime.date(1982, 1, 2),
    )  # fmt: skip
    ApplicationEvent.objects.create(
        application=application, actor=rep_a_user, action="person.added"
    )
    email_send(
        to=EMAIL, template="support_acknowledgement",
        context={"name": "CANARY-DEL-Given", "reference": "TI-AAAAAAAA", "signed_in": True},
        key=f"client-temporary-password:{client.public_id}:1",
    )  # fmt: skip
    return client


@pytest.fixture
def desk_user(db):
    user = factories.make_staff(email="desk@example.test")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="clients", codename__in=["view_client", "delete_client"]
        )
    )
    return user


def test_the_account_can_no_longer_sign_in_and_its_email_is_free(mistaken, staff_user):
    session = signed_in(mistaken.user)
    session.get("/en/account/")

    pseudonym = client_account_delete(client=mistaken, actor=staff_user)

    user = User.objects.get(pk=mistaken.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert user.email == f"{pseudonym}@invalid"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert session.get("/en/account/")["Location"].startswith("/en/auth/login/")
    assert not User.objects.filter(email__iexact=EMAIL).exists()


def test_every_personal_field_of_every_profile_is_erased(mistaken, staff_user):
    application = mistaken.applications.get()

    pseudonym = client_account_delete(client=mistaken, actor=staff_user)

    people = list(Person.objects.filter(application=application))
    assert len(people) == 2
    for person in people:
        assert person.family_name == pseudonym
        for field in Person._meta.concrete_fields:
            if field.name in PERSON_FIELDS_KEPT or field.name in ("family_name", "updated_at"):
                continue
            value = getattr(person, field.attname)
            assert value in ("", None) or value == field.get_default(), field.name
    application.refresh_from_db()
    assert application.program_details == {}
    assert application.status == Application.Status.DRAFT  # not transferred, not deleted
    assert application.client_id == mistaken.pk


@pytest.mark.django_db(transaction=True)
def test_history_and_audit_are_kept_and_the_chain_verifies(mistaken, staff_user):
    application = mistaken.applications.get()
    events_before = ApplicationEvent.objects.filter(application=application).count()

    client_account_delete(client=mistaken, actor=staff_user)

    assert ApplicationEvent.objects.filter(application=application).count() == events_before
    row = AuditEvent.objects.get(action="client.deleted")
    assert row.actor == staff_user and row.object_id == mistaken.public_id
    assert row.reason == "created_by_mistake"
    assert audit_verify() == []


def test_no_personal_data_is_left_anywhere(mistaken, staff_user):
    """Every text column of every table of ours, searched for the canaries and the address."""
    from django.apps import apps

    client_account_delete(client=mistaken, actor=staff_user)

    leaks = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")
        ]
        for row in model.objects.values(*text_fields) if text_fields else []:
            blob = " ".join(str(v) for v in row.values())
            if "CANARY-DEL" in blob or EMAIL in blob or "613 555 0199" in blob:
                leaks.append(f"{model._meta.label}: {blob[:80]}")
    assert leaks == []


def test_pending_emails_to_the_person_are_never_sent(mistaken, staff_user):
    client_account_delete(client=mistaken, actor=staff_user)
    rows = OutboxEmail.objects.filter(key__contains=str(mistaken.public_id))
    assert rows and all(r.status == OutboxEmail.Status.DEAD and r.body_text == "" for r in rows)


def test_technical_issues_the_person_sent_are_erased(mistaken, staff_user):
    factories.make_support_request(submitted_by=mistaken.user, name="CANARY-DEL-Given Name")

    pseudonym = client_account_delete(client=mistaken, actor=staff_user)

    support_request = SupportRequest.objects.get()
    assert support_request.name == pseudonym and support_request.description == ""
    assert support_request.email == f"{pseudonym}@invalid"


def test_an_account_with_a_submitted_application_is_not_deleted(mistaken, staff_user):
    Application.objects.filter(client=mistaken).update(status="submitted")
    with pytest.raises(ClientNotDeletable):
        client_account_delete(client=mistaken, actor=staff_user)
    assert User.objects.get(pk=mistaken.user_id).is_active
    assert Person.objects.filter(family_name="CANARY-DEL-Family").exists()


def test_the_email_can_register_as_a_representative_afterwards(
    mistaken, staff_user, anon, django_capture_on_commit_callbacks
):
    form = {
        "email": EMAIL,
        "password1": "seven green lanterns glowing",
        "password2": "seven green lanterns glowing",
    }
    refused = anon.post("/en/auth/signup/", form)
    assert "already used by a client portal account" in refused.content.decode()

    client_account_delete(client=mistaken, actor=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post("/en/auth/signup/", form)

    assert response.status_code == 302
    new = User.objects.get(email=EMAIL)
    assert new.role == User.Role.REPRESENTATIVE and new.pk != mistaken.user_id


# --- The admin ------------------------------------------------------------------------------


def test_the_admin_warns_that_applications_are_not_transferred_then_deletes(mistaken, desk_user):
    desk = signed_in(desk_user)

    page = desk.post(
        ADMIN, {"action": "delete_account_created_by_mistake", "_selected_action": [mistaken.pk]}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Warning: applications are not transferred" in html
    assert "1 application in this account" in html
    assert User.objects.get(pk=mistaken.user_id).is_active  # nothing happens before confirming

    response = desk.post(
        ADMIN,
        {"action": "delete_account_created_by_mistake", "_selected_action": [mistaken.pk],
         "confirm": "1"},
    )  # fmt: skip

    assert response.status_code == 302
    assert not User.objects.get(pk=mistaken.user_id).is_active
    assert AuditEvent.objects.get(action="client.deleted").actor == desk_user


def test_the_admin_action_needs_the_delete_permission(mistaken, db):
    viewer = factories.make_staff(email="viewer@example.test")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="clients", codename="view_client")
    )
    desk = signed_in(viewer)
    html = desk.get(ADMIN).content.decode()
    assert "delete_account_created_by_mistake" not in html
    desk.post(
        ADMIN,
        {"action": "delete_account_created_by_mistake", "_selected_action": [mistaken.pk],
         "confirm": "1"},
    )  # fmt: skip
    assert User.objects.get(pk=mistaken.user_id).is_active


def test_the_admin_refuses_when_an_application_was_submitted(mistaken, desk_user):
    Application.objects.filter(client=mistaken).update(status="submitted")
    desk = signed_in(desk_user)
    page = desk.post(
        ADMIN, {"action": "delete_account_created_by_mistake", "_selected_action": [mistaken.pk]}
    )
    html = page.content.decode()
    assert "has a submitted application" in html and 'name="confirm"' not in html
