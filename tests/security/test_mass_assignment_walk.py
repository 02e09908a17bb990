"""Mass assignment, walked over every URL name (QUALITY.md §3, issue 11 item 1).

For every URL name of the project (tests/security/urls.py) and each persona that can act on
side A's objects (its representative, its client, a staff processor, a superuser), the page is
opened, the form that posts back to it is read from the HTML (its own fields with the values
the page filled in, and its first submit button), and that form is posted together with every
privileged field name a service or staff alone may set (``status``, ``representative``,
``client``, ``application_number``, ``is_staff``, ``role``, ``public_id``, ``tasks_done``...),
each set to a value that points at side B or could never be typed in legitimately.

Every privileged column of every project model (and the users' groups and permissions) is
read before and after the POST: an existing row whose privileged column changed, or a new row
that carries one of the posted values, is a failure, unless ``EXCEPTIONS`` names the URL,
persona and column with the reason the change is the page's own job.
"""

from __future__ import annotations

import fnmatch
from contextlib import nullcontext
from dataclasses import dataclass

import lxml.html
import pytest
from django.apps import apps
from django.urls import Resolver404, resolve
from zeal import zeal_ignore

from tests.security import matrix
from tests.security.urls import url_for, url_names

# The personas that own (or may manage) side A's objects, so their POSTs reach the forms.
ACTORS = ("rep_a", "rep_pending", "client_a", "staff_perm", "superuser")

# Column names only services, staff or the database set (QUALITY.md §3).
PRIVILEGED_COLUMNS = {
    "status", "representative", "owner", "version", "application_number", "is_signed", "firm",
    "is_staff", "is_superuser", "role", "user", "client", "tasks_done", "tasks_total",
    "verified_at", "submitted_at", "public_id", "application", "uploaded_by", "submitted_by",
    "created_by", "signer", "person", "is_active",
}  # fmt: skip

MARK_UUID = "0badc0de-0000-4000-8000-00000000beef"
MARK_NUMBER = "Z999999999"
MARK_COUNT = "987654"
MARK_DATE = "2001-02-03"

# A POST the matrix declares as one of these does nothing for that persona: not walked.
NO_EFFECT = {403, 404, 405}


@dataclass(frozen=True)
class Exception_:
    """A page whose own job changes a privileged column (``fnmatch`` patterns)."""

    urls: str
    personas: tuple[str, ...]
    columns: str
    why: str
    stores_posted_value: bool = False  # only where a person may set the value itself


EXCEPTIONS = (
    Exception_(
        "applications:send_for_signature", ("rep_a",), "applications.application.status",
        "sending for signature moves a draft to awaiting_client_signature (services._transition)",
    ),
    Exception_(
        "applications:correction_resolve", ("rep_a",), "clients.correctionrequest.status",
        "the representative marks the client's correction request resolved (its service)",
    ),
    Exception_(
        "applications:document_*", ("rep_a",), "applications.application.tasks_*",
        "a document added, combined or removed recounts the task progress (services recount it)",
    ),
    Exception_(
        "applications:person_remove", ("rep_a",), "applications.application.tasks_*",
        "removing a family member recounts the task progress (services recount it)",
    ),
    Exception_(
        "admin:support_supportrequest_assign_to_me", ("staff_perm", "superuser"),
        "support.supportrequest.status",
        "taking a new support request moves it to in_progress (support.services)",
    ),
    Exception_(
        "admin:support_supportrequest_status", ("staff_perm", "superuser"),
        "support.supportrequest.status",
        "the admin's status action moves the request along its allowed statuses",
    ),
    Exception_(
        "admin:accounts_user_change", ("superuser",), "accounts.user.*",
        "only a superuser edits accounts: roles, staff flags and groups are that page's job",
        stores_posted_value=True,
    ),
)  # fmt: skip


def excused(url_name: str, persona: str, column: str) -> Exception_ | None:
    for rule in EXCEPTIONS:
        if (
            fnmatch.fnmatch(url_name, rule.urls)
            and persona in rule.personas
            and fnmatch.fnmatch(column, rule.columns)
        ):
            return rule
    return None


def hostile_fields(world) -> dict[str, str]:
    """Every privileged name with a value pointing at side B, or impossible to type."""
    b = world.b
    application = b.application
    return {
        "status": "approved",
        "representative": str(application.representative_id),
        "representative_id": str(application.representative_id),
        "owner": str(b.rep_user.pk),
        "firm": "CANARY-B firm",
        "version": MARK_COUNT,
        "application_number": MARK_NUMBER,
        "is_signed": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "off",
        "groups": "1",
        "user_permissions": "1",
        "role": "staff",
        "user": str(b.client_user.pk),
        "client": str(application.client_id),
        "client_id": str(application.client_id),
        "tasks_done": MARK_COUNT,
        "tasks_total": MARK_COUNT,
        "verified_at": MARK_DATE,
        "submitted_at": MARK_DATE,
        "public_id": MARK_UUID,
        "application": str(application.pk),
        "application_id": str(application.pk),
        "uploaded_by": str(b.client_user.pk),
        "submitted_by": str(b.rep_user.pk),
        "created_by": str(b.client_user.pk),
        "signer": str(b.client_user.pk),
        "person": str(application.principal_applicant.pk),
    }


def _project_models():
    for model in apps.get_models():
        config = apps.get_app_config(model._meta.app_label)
        if "site-packages" in config.path or model._meta.proxy:
            continue
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if field.name in PRIVILEGED_COLUMNS and not field.primary_key
        ]
        if columns:
            yield model, columns


MODELS = None


def snapshot() -> dict[tuple[str, object], dict[str, object]]:
    """{(model label, pk): {column: value}} for every privileged column, plus user groups and
    permissions."""
    global MODELS
    if MODELS is None:
        MODELS = list(_project_models())
    rows = {}
    for model, columns in MODELS:
        for pk, *values in model.objects.values_list("pk", *columns):
            rows[(model._meta.label_lower, pk)] = dict(zip(columns, values, strict=True))
    user_model = apps.get_model("accounts", "user")
    for relation in ("groups", "user_permissions"):
        through = getattr(user_model, relation).through
        target = f"{'group' if relation == 'groups' else 'permission'}_id"
        pairs = through.objects.values_list("user_id", target)
        for user_id, target_id in pairs:
            rows[("accounts.user", (relation, user_id, target_id))] = {relation: target_id}
    return rows


def posted_value(posted: dict[str, str], column: str) -> str | None:
    return posted.get(column, posted.get(column.removesuffix("_id")))


def changes(before, after, posted: dict[str, str]) -> list[tuple[str, str, object, object]]:
    """(row, column, before, after) for every changed privileged column and every user's new
    or lost group or permission; a new row only when one of its columns holds the value
    posted under that column's name."""
    found = []
    for key, columns in after.items():
        label = f"{key[0]}#{key[1]}"
        old = before.get(key)
        for column, value in columns.items():
            if old is None:
                if isinstance(key[1], tuple) or str(value) == posted_value(posted, column):
                    found.append((label, f"{key[0]}.{column}", None, value))
            elif old[column] != value:
                found.append((label, f"{key[0]}.{column}", old[column], value))
    for key in before.keys() - after.keys():
        if isinstance(key[1], tuple):  # a group or permission taken away
            relation, user_id, target_id = key[1]
            found.append((f"{key[0]}#{user_id}", f"{key[0]}.{relation}", target_id, None))
    return found


def _same_page(action: str, path: str) -> bool:
    if not action:
        return True
    try:
        return resolve(action.split("?")[0]).route == resolve(path).route
    except Resolver404:
        return False


TEXT_INPUTS = {"text", "search", "tel", "url", "email", None}


def read_form(client, path: str) -> tuple[dict[str, str], list[str]]:
    """The fields (and first submit button) of the form on ``path`` that posts back to it, and
    the names of its text fields (text inputs and text areas)."""
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}, []
    document = lxml.html.fromstring(response.content)
    for form in document.forms:
        if (form.method or "GET").upper() != "POST" or not _same_page(form.action or "", path):
            continue
        data = dict(form.form_values())
        texts = [
            field.get("name")
            for field in form.xpath(".//input[@name]")
            if field.get("type") in TEXT_INPUTS
        ]
        for textarea in form.xpath(".//textarea[@name]"):  # the newline after <textarea> is markup
            data[textarea.get("name")] = (textarea.text or "").removeprefix("\n")
            texts.append(textarea.get("name"))
        for button in form.xpath(".//button[@name]|.//input[@type='submit'][@name]"):
            data.setdefault(button.get("name"), button.get("value", ""))
            break
        return data, texts
    return {}, []


def page_form(client, path: str) -> dict[str, str]:
    return read_form(client, path)[0]


URLS = [url for url in url_names() if not url.name.startswith("account_logout")]


def walk(world, url) -> list[str]:
    problems = []
    hostile = hostile_fields(world)
    for persona in ACTORS:
        obj = "own" if "own" in url.objects else "none"
        if matrix.expected(url.name, persona, obj, "POST") <= NO_EFFECT:
            continue
        path = url_for(url, world, obj)
        client = world.client_for(persona)
        data = {"expected_version": "0", **page_form(client, path), **hostile}
        before = snapshot()
        # The admin's raw-id widgets look up each posted id once per render (Django's own
        # code, superuser and processor pages only): not an N+1 of the portal's.
        with zeal_ignore() if url.is_admin else nullcontext():
            response = client.post(path, data)
        assert response.status_code < 500, f"{url.name} {persona}: {response.status_code}"
        for row, column, old, new in changes(before, snapshot(), hostile):
            rule = excused(url.name, persona, column)
            took_posted = str(new) == posted_value(hostile, column.rsplit(".", 1)[1])
            if rule is None or (took_posted and not rule.stores_posted_value):
                problems.append(f"{url.name} {persona}: {row} {column} {old!r} -> {new!r}")
    return problems


@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_no_post_changes_a_privileged_column(world_db, url):
    problems = walk(world_db, url)
    assert not problems, "\n".join(problems)


def test_every_exception_names_urls_that_exist_and_says_why():
    names = [url.name for url in URLS]
    for rule in EXCEPTIONS:
        assert fnmatch.filter(names, rule.urls), f"no URL name matches {rule.urls}"
        assert set(rule.personas) <= set(ACTORS) and rule.columns.count(".") == 2, rule
        assert len(rule.why) > 30, f"say why {rule.urls} may change {rule.columns}"


def test_the_detector_sees_a_changed_column_a_planted_value_and_a_new_group(world_db):
    from django.contrib.auth.models import Group

    from applications.models import Application

    hostile = hostile_fields(world_db)
    before = snapshot()
    Application.objects.filter(pk=world_db.a.application.pk).update(status="approved")
    Application.objects.filter(pk=world_db.a.queued.pk).update(application_number=MARK_NUMBER)
    world_db.a.client_user.groups.add(Group.objects.first())
    found = {column: new for _, column, _, new in changes(before, snapshot(), hostile)}
    assert found["applications.application.status"] == "approved"
    assert found["applications.application.application_number"] == MARK_NUMBER
    assert found["accounts.user.groups"] == Group.objects.first().pk


def test_the_walked_form_is_valid_so_only_the_privileged_names_were_ignored(world_db):
    """The page's own form, filled as the page fills it, is accepted with the hostile names
    added (a redirect after saving): the walk exercises the save path, not only errors."""
    from forms_imm.models import FormSection

    url = next(url for url in URLS if url.name == "forms_imm:section_edit")
    path = url_for(url, world_db, "own")
    client = world_db.client_for("rep_a")
    row = FormSection.objects.get(person=world_db.a.application.principal_applicant)
    form = page_form(client, path)
    assert form["details"] == "CANARY-A-Details" and form["action"] == "save"
    response = client.post(path, {**form, "details": "Saved", **hostile_fields(world_db)})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.data["details"] == "Saved" and row.version == 2
    assert str(row.public_id) != MARK_UUID
