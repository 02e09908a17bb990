"""Journey (workflow.md §12): someone whose address belongs to a client-portal account cannot
register as a representative, reports it through the web form, staff delete the client account
from the admin after a warning, and the address then registers. Afterwards the client's
personal data appears nowhere and the audit trail still verifies. axe on every page, EN and FR."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from accounts.models import AuditEvent, User
from accounts.services import audit_verify
from applications.models import Program
from support.models import SupportRequest
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "mistaken.client@example.test"
PASSPHRASE = "seven green lanterns glowing"
CANARIES = ("CANARY-GONE", EMAIL, "+1 613 555 0147")
TEXT = {
    "en": {"create": "Create account", "refused": "already used by a client portal account",
           "send": "Send the request", "go": "Go", "deleted": "The client account was deleted."},
    "fr": {"create": "Créer le compte", "refused": "déjà utilisée par un compte du portail client",
           "send": "Envoyer la demande", "go": "Envoyer",
           "deleted": "Le compte client a été supprimé."},
}  # fmt: skip


def visit(page, url_pattern, *, admin=False):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, preload=not admin)


def leaks() -> list[str]:
    """Every text column of every table, searched for the client's personal data."""
    found = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")
        ]
        for row in model.objects.values(*fields) if fields else []:
            blob = " ".join(str(value) for value in row.values())
            found += [f"{model._meta.label}: {c}" for c in CANARIES if c in blob]
    return found


@pytest.fixture
def mistaken_client(rep_a_user):
    user = factories.make_user(role=User.Role.CLIENT, email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    client = factories.make_client(user=user, activated=True)
    application = factories.make_application(
        representative=rep_a_user.representative, client=client,
        family_name="CANARY-GONE-Family", given_names="CANARY-GONE-Given",
    )  # fmt: skip
    person = application.principal_applicant
    person.phone = "+1 613 555 0147"
    person.save(update_fields=["phone"])
    return client


@pytest.fixture
def desk():
    user = factories.make_staff(email="desk@example.test")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="support", codename__endswith="request"),
        *Permission.objects.filter(
            content_type__app_label="clients", codename__in=["view_client", "delete_client"]
        ),
    )
    return user


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_mistaken_client_account_is_deleted_and_the_address_registers(
    page, live_server, browser, lang, mistaken_client, desk, rep_a_user
):
    text = TEXT[lang]

    # 1. The address is refused at representative sign-up, with the reason and the fix.
    page.goto(f"/{lang}/auth/signup/")
    visit(page, rf"/{lang}/auth/signup/$")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    page.get_by_role("button", name=text["create"]).click()
    visit(page, rf"/{lang}/auth/signup/$")
    expect(page.locator("[data-error-summary]")).to_contain_text(text["refused"])

    # 2. They report it through the web form, signed out.
    page.goto(f"/{lang}/help/contact/")
    visit(page, rf"/{lang}/help/contact/$")
    page.select_option("#id_category", "client_account_by_mistake")
    page.fill("#id_name", "Sam Newrep")
    page.fill("#id_email", EMAIL)
    page.fill("#id_uci", "1111111111")
    page.fill("#id_application_number", "0000000")
    page.select_option("#id_program", str(Program.objects.active().order_by("order").first().pk))
    page.fill("#id_description", "I need this address for my representative account.")
    page.get_by_role("button", name=text["send"]).click()
    visit(page, rf"/{lang}/help/contact/sent/$")
    support_request = SupportRequest.objects.get()

    # 3. Staff open the request, find the client account and delete it after the warning.
    staff_page = browser.new_context(base_url=live_server.url, locale="en-CA").new_page()
    staff_page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
          "value": signed_in(desk).cookies[settings.SESSION_COOKIE_NAME].value}]
    )  # fmt: skip
    admin = f"/{lang}/{settings.ADMIN_URL_PATH}"
    staff_page.goto(f"{admin}support/supportrequest/{support_request.pk}/change/")
    visit(staff_page, r"/change/$", admin=True)
    staff_page.locator(f'a[href^="{admin}clients/client/?q="]').click()
    visit(staff_page, rf"{admin}clients/client/\?q=", admin=True)
    rows = staff_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("input.action-select").check()
    staff_page.select_option("select[name=action]", "delete_account_created_by_mistake")
    staff_page.locator("button[name=index]").click()
    visit(staff_page, rf"{admin}clients/client/", admin=True)
    expect(staff_page.locator("#content-main .module h2")).to_be_visible()  # the warning
    expect(staff_page.locator("#content-main")).to_contain_text(EMAIL)
    assert User.objects.get(pk=mistaken_client.user_id).is_active  # not before confirming
    staff_page.locator("#content-main input[type=submit]").click()
    visit(staff_page, rf"{admin}clients/client/", admin=True)
    expect(staff_page.locator(".messagelist")).to_contain_text(text["deleted"])
    staff_page.context.close()

    # 4. The address now registers as a representative.
    page.goto(f"/{lang}/auth/signup/")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    page.get_by_role("button", name=text["create"]).click()
    visit(page, rf"/{lang}/auth/confirm-email/$")
    new = User.objects.get(email=EMAIL)
    assert new.role == User.Role.REPRESENTATIVE and new.pk != mistaken_client.user_id

    # 5. The representative's pages show only the pseudonym; nothing personal is left.
    rep_page = browser.new_context(base_url=live_server.url, locale="en-CA").new_page()
    rep_page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
          "value": signed_in(rep_a_user).cookies[settings.SESSION_COOKIE_NAME].value}]
    )  # fmt: skip
    application = mistaken_client.applications.get()
    rep_page.goto(f"/{lang}/applications/{application.public_id}/")
    expect(rep_page.locator("main")).to_contain_text("deleted-")
    assert "CANARY-GONE" not in rep_page.content()
    assert_accessible(rep_page)
    rep_page.context.close()

    # Only the new representative account holds the address now.
    assert [
        leak
        for leak in leaks()
        if not leak.startswith(
            (
                "accounts.User",
                "account.EmailAddress",
                "accounts.OutboxEmail",
                "support.SupportRequest",
            )
        )
    ] == []
    assert not [leak for leak in leaks() if "CANARY-GONE" in leak or "613 555" in leak]
    assert AuditEvent.objects.filter(action="client.deleted", actor=desk).count() == 1
    assert audit_verify() == []
