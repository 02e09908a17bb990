"""The public web form is rate-limited per IP address and per email (support/ratelimit.py)."""

import pytest
import time_machine
from django.core.cache import cache

from accounts.models import AuditEvent, OutboxEmail
from support import ratelimit
from support.models import SupportRequest
from tests.support.test_contact import URL, payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_sixth_request_from_one_email_in_an_hour_is_refused(anon, settings):
    settings.SUPPORT_FORM_LIMIT_PER_EMAIL = 5
    with time_machine.travel("2026-03-02 10:05:00Z", tick=False):
        for _ in range(5):
            assert anon.post(URL, payload()).status_code == 302
        response = anon.post(URL, payload(description="A sixth try"))

    html = response.content.decode()
    assert response.status_code == 429
    assert "You have sent too many requests in the last hour" in html
    assert "about 55 minutes" in html
    assert "A sixth try" in html  # what was typed is kept
    assert SupportRequest.objects.count() == 5
    assert OutboxEmail.objects.count() == 5
    event = AuditEvent.objects.get(action="support_request.rate_limited")
    assert event.outcome == "denied" and event.reason == "email"


def test_another_email_from_another_address_still_gets_through(anon, settings):
    settings.SUPPORT_FORM_LIMIT_PER_EMAIL = 1
    assert anon.post(URL, payload()).status_code == 302
    assert anon.post(URL, payload()).status_code == 429
    assert anon.post(URL, payload(email="other@example.test")).status_code == 302


def test_every_post_from_one_ip_counts_even_invalid_ones(anon, settings):
    settings.SUPPORT_FORM_LIMIT_PER_IP = 3
    for _ in range(3):
        assert anon.post(URL, payload(uci="bad")).status_code == 200
    response = anon.post(URL, payload(email="fresh@example.test"))
    assert response.status_code == 429
    assert not SupportRequest.objects.exists()
    assert AuditEvent.objects.get(action="support_request.rate_limited").reason == "ip"


def test_the_limit_resets_in_the_next_hour(anon, settings):
    settings.SUPPORT_FORM_LIMIT_PER_EMAIL = 1
    with time_machine.travel("2026-03-02 10:59:00Z", tick=False):
        assert anon.post(URL, payload()).status_code == 302
        assert anon.post(URL, payload()).status_code == 429
    with time_machine.travel("2026-03-02 11:00:01Z", tick=False):
        assert anon.post(URL, payload()).status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_change_the_ip_key(anon, settings):
    settings.SUPPORT_FORM_LIMIT_PER_IP = 2
    for n in range(2):
        anon.post(URL, payload(), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = anon.post(URL, payload(email="x@example.test"), HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_cache_keys_hold_no_address_or_email():
    ratelimit.hit("email", "Someone@Example.test")
    ratelimit.hit("ip", "203.0.113.9")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 2
    assert not any("example" in key.lower() or "203.0.113" in key for key in keys)
    assert ratelimit.is_exceeded("email", "someone@example.test") is False
