"""No portal form binds a privileged field (QUALITY.md §3, issue 11 item 2).

Every ModelForm in the portal's ``forms`` modules lists its fields explicitly, and none of them
is a field that only a service or staff may set. (Posting these fields to each form and finding
nothing changed is done per form in tests/applications/test_create.py, test_people.py and
tests/representatives/test_profile_edit.py; tests/security/test_admin_powers.py covers the
admin's user and group pages.)
"""

import importlib

import pytest
from django import forms

PRIVILEGED = {
    "status", "representative", "owner", "version", "application_number", "is_signed", "firm",
    "is_staff", "is_superuser", "groups", "user_permissions", "role", "user", "client",
    "tasks_done", "verified_at", "submitted_at", "public_id", "application", "uploaded_by",
}  # fmt: skip
PORTAL_FORM_MODULES = (
    "accounts.forms", "applications.forms", "clients.forms", "representatives.forms",
    "support.forms", "forms_imm.forms",
)  # fmt: skip


def portal_model_forms():
    found = []
    for module_name in PORTAL_FORM_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.ModelForm)
                and value.__module__ == module_name
                and getattr(value, "_meta", None) is not None
                and value._meta.model is not None
            ):
                found.append(value)
    return found


FORMS = portal_model_forms()


def test_the_portal_has_model_forms_to_check():
    assert len(FORMS) >= 2


@pytest.mark.parametrize("form_class", FORMS, ids=[form.__name__ for form in FORMS])
def test_a_model_form_lists_its_fields_and_binds_no_privileged_one(form_class):
    declared = form_class._meta.fields
    assert declared not in (None, "__all__"), f"{form_class.__name__} must list its fields"
    bound = set(form_class.base_fields)
    assert not bound & PRIVILEGED, f"{form_class.__name__} binds {sorted(bound & PRIVILEGED)}"
