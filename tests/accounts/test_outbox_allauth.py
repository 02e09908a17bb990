"""allauth's own emails go through the outbox, bilingual (accounts/adapters.py send_mail)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db
RESET_URL = "/en/auth/password/reset/"


def verified_user(**extra):
    user = factories.make_user(**extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_password_reset_is_queued_then_sent_in_both_languages(
    anon, django_capture_on_commit_callbacks
):
    user = verified_user()
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(RESET_URL, {"email": user.email})

    assert response.status_code == 302
    email = OutboxEmail.objects.get()
    assert email.to == user.email and email.status == OutboxEmail.Status.SENT
    assert email.key.startswith("allauth:password_reset_key:")
    sent = mail.outbox[0]
    assert sent.subject == ("Password Reset Email / E-mail de réinitialisation de mot de passe")
    assert sent.extra_headers["Message-ID"] == email.message_id
    body = sent.body
    assert body.startswith("(La version française suit)")
    assert body.index("Hello from PR Portal!") < body.index("Bonjour, c'est Portail RP")
    links = re.findall(r"https?://\S+/password/reset/key/\S+", body)
    assert len(links) == 2 and links[0] == links[1]
    html = sent.alternatives[0][0]
    assert '<div lang="fr">' in html and "&lt;" not in links[0]
    assert f'href="{links[0]}"' in html


def test_a_french_speaking_user_gets_french_first(anon, django_capture_on_commit_callbacks):
    user = verified_user(preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        anon.post(RESET_URL, {"email": user.email})

    sent = mail.outbox[0]
    assert sent.subject.startswith("E-mail de réinitialisation de mot de passe / ")
    assert sent.body.startswith("(English follows)")


def test_an_unknown_address_gets_the_enumeration_safe_email_through_the_outbox(
    anon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon.post(RESET_URL, {"email": "nobody@example.test"})

    assert response.status_code == 302
    email = OutboxEmail.objects.get()
    assert email.to == "nobody@example.test"
    assert email.key.startswith("allauth:unknown_account:")
    assert len(mail.outbox) == 1


def test_a_repeated_identical_email_a_minute_later_is_a_new_email(anon, time_machine):
    time_machine.move_to("2026-03-02 14:00:05Z", tick=False)
    anon.post(RESET_URL, {"email": "nobody@example.test"})
    anon.post(RESET_URL, {"email": "nobody@example.test"})
    assert OutboxEmail.objects.count() == 1  # a double submit is one email

    time_machine.shift(60)
    anon.post(RESET_URL, {"email": "nobody@example.test"})
    assert OutboxEmail.objects.count() == 2
