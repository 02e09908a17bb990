"""The ``outbox`` fixture: what the code under test queued for email and audit.

Tests read ``outbox.emails`` (the keyword arguments of each ``email_send`` call: to, template,
context, key, language) and ``outbox.audits`` (those of ``audit_record``). The real
functions still run, so the rows land in the outbox and the audit trail as well.
"""

import importlib
import sys
import types

import pytest


class Recorder:
    def __init__(self):
        self.emails: list[dict] = []
        self.audits: list[dict] = []

    def to(self, address: str, template: str | None = None) -> list[dict]:
        return [
            email
            for email in self.emails
            if email["to"] == address and (template is None or email["template"] == template)
        ]


def _real_services():
    try:
        module = importlib.import_module("accounts.services")
    except ImportError:
        return None
    return module if hasattr(module, "email_send") else None


@pytest.fixture
def outbox(monkeypatch):
    recorder = Recorder()
    real = _real_services()
    if real is None:
        standin = types.ModuleType("accounts.services")
        standin.email_send = lambda **kwargs: recorder.emails.append(kwargs)
        standin.audit_record = lambda **kwargs: recorder.audits.append(kwargs)
        monkeypatch.setitem(sys.modules, "accounts.services", standin)
        return recorder
    email_send, audit_record = real.email_send, real.audit_record

    def record_email(**kwargs):
        recorder.emails.append(kwargs)
        return email_send(**kwargs)

    def record_audit(**kwargs):
        recorder.audits.append(kwargs)
        return audit_record(**kwargs)

    # Patch every module that imported the functions by name (``from accounts.services import
    # email_send``), not only accounts.services itself.
    for module in list(sys.modules.values()):
        if getattr(module, "email_send", None) is email_send:
            monkeypatch.setattr(module, "email_send", record_email)
        if getattr(module, "audit_record", None) is audit_record:
            monkeypatch.setattr(module, "audit_record", record_audit)
    return recorder
