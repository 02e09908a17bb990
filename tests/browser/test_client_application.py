"""Journey: a verified representative creates an application, adds a family, resends the password.

A mismatched email confirmation first shows an error and keeps what was typed; the invitation
with a temporary password is in the outbox; the spouse and the 19-year-old need their own
IMM 5669 and IMM 5406, the 10-year-old does not; a resend makes the old password stop working.
axe runs on every page, in English and in French.
"""

import re
from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from applications.models import Application, Program
from clients.models import Client
from clients.services import client_temporary_password_check
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def years_ago(years: int, days_more: int = 40) -> str:
    today = date.today()
    born = date(today.year - years, today.month, 1)
    return date.fromordinal(born.toordinal() - days_more).isoformat()


def assert_in_database_outbox(address: str, text: str) -> None:
    """Once the platform's outbox exists (accounts.models.OutboxEmail), the email is a row."""
    from accounts import models as account_models

    outbox_model = getattr(account_models, "OutboxEmail", None)
    if outbox_model is not None:
        assert outbox_model.objects.filter(to=address, body_text__contains=text).exists()


def check_both_languages(page):
    assert_accessible(page)
    french = re.sub(r"/en/", "/fr/", page.url, count=1)
    english = page.url
    page.goto(french)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.goto(english)


def add_family_member(page, *, relationship, given, born, marital="02"):
    page.get_by_role("link", name="Add a family member").click()
    page.select_option("#id_relationship", relationship)
    page.fill("#id_family_name", "Tremblay")
    page.fill("#id_given_names", given)
    page.select_option("#id_sex", "F")
    page.fill("#id_date_of_birth", born)
    page.select_option("#id_birth_country", "FR")
    page.select_option("#id_citizenship_1", "FR")
    page.select_option("#id_marital_status", marital)
    page.check("#id_accompanying_0")
    page.get_by_role("button", name="Add the family member").click()
    expect(page.get_by_text(f"{given} Tremblay was added.")).to_be_visible()


def test_representative_creates_an_application_adds_a_family_and_resends(page, live_server, outbox):
    rep = factories.make_representative(email="rep-journey@example.test", full_name="Rep Journey")
    program = Program.objects.get(code="family_spouse_partner_child")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(rep.user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto("/en/applications/")
    expect(page.locator("h1")).to_have_text("My applications")
    check_both_languages(page)

    page.get_by_role("link", name="Create an application").click()
    check_both_languages(page)
    page.fill("#id_family_name", "Tremblay")
    page.fill("#id_given_names", "Marie")
    page.fill("#id_email", "marie@example.test")
    page.fill("#id_email_confirm", "marie@example.tset")
    page.select_option("#id_program", str(program.pk))
    page.get_by_role("button", name="Create the application and notify the client").click()

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("do not match")
    expect(page.locator("#id_family_name")).to_have_value("Tremblay")
    expect(page.locator("#id_given_names")).to_have_value("Marie")
    expect(page.locator("#id_email")).to_have_value("marie@example.test")
    expect(page.locator("#id_program")).to_have_value(str(program.pk))
    assert page.title().startswith("Error:")
    assert_accessible(page)
    assert not Application.objects.exists()

    page.fill("#id_email_confirm", "MARIE@example.test")
    page.get_by_role("button", name="Create the application and notify the client").click()
    expect(page.locator("h1")).to_have_text("Application for Marie Tremblay")
    expect(page.get_by_test_id("access-state")).to_contain_text("Invited")
    check_both_languages(page)

    client = Client.objects.get(user__email="marie@example.test")
    (invitation,) = outbox.to("marie@example.test", "client_temporary_password")
    old_password = invitation["context"]["temporary_password"]
    assert client_temporary_password_check(client=client, password=old_password)
    assert outbox.to("marie@example.test", "application_started")
    assert_in_database_outbox("marie@example.test", old_password)

    add_family_member(page, relationship="10", given="Luc", born=years_ago(40), marital="01")
    add_family_member(page, relationship="02", given="Adult", born=years_ago(19))
    add_family_member(page, relationship="02", given="Young", born=years_ago(10))

    tasks = page.locator(".task-list")
    for name in ("Luc Tremblay", "Adult Tremblay"):
        expect(tasks).to_contain_text(f"IMM 5669 Schedule A: Background/Declaration for {name}")
        expect(tasks).to_contain_text(f"IMM 5406 Additional Family Information for {name}")
    expect(tasks).to_contain_text("IMM 0008 Generic Application Form for Canada for Marie Tremblay")
    expect(tasks).not_to_contain_text(
        "IMM 5669 Schedule A: Background/Declaration for Young Tremblay"
    )
    check_both_languages(page)

    details = page.url
    page.get_by_role("link", name=re.compile("Edit the profile of Young Tremblay")).click()
    check_both_languages(page)
    page.goto(details)

    page.get_by_role("button", name="Resend temporary password").click()
    expect(page.get_by_text("A new temporary password was emailed")).to_be_visible()
    passwords = outbox.to("marie@example.test", "client_temporary_password")
    assert len(passwords) == 2
    new_password = passwords[1]["context"]["temporary_password"]
    client.refresh_from_db()
    assert not client_temporary_password_check(client=client, password=old_password)
    assert client_temporary_password_check(client=client, password=new_password)

    page.get_by_role("link", name="History of this application").click()
    expect(page.locator("table")).to_contain_text("Temporary password resent")
    check_both_languages(page)
