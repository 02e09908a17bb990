"""Every URL name of the project, and how to fill its arguments from the world.

``url_names()`` walks ``get_resolver()`` recursively (portal, allauth, admin, i18n). Arguments
are filled by name (``public_id``, ``person_id``, ``document_id``, ``slot_key``, ``form``,
``section``, ``object_id``, ...) for one of three objects: ``own`` (side A's),
``foreign`` (side B's) and ``missing`` (an identifier that names nothing). A URL with no
object argument has the single object ``none``.
"""

from __future__ import annotations

import fnmatch
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Arguments that name a stored object: a URL that takes one is requested for own, foreign and
# missing objects.
OBJECT_KWARGS = {
    "public_id", "person_id", "document_id", "correction_id", "object_id", "id", "content_type_id",
    "request_id",
}  # fmt: skip
# Arguments that are not objects (tokens, page numbers): a fixed value each.
PLAIN_KWARGS = {
    "key": "MA:1vXyz:bogus-key",
    "uidb36": "zz",
    "pk": 999_999,
    "page": 1,
    "number": 1,  # a submission number
    "form": "imm5669",
    "section": "background",
    "url": "no-such-page/",
    "app_label": "applications",
    "code": "check_start",  # a staff action the world's submitted application allows
}
MISSING_PK = 999_999_999
PR_URLS = ("clients:pr_confirm", "clients:ecopr_error", "applications:ecopr")


@dataclass(frozen=True)
class UrlName:
    name: str
    kwargs: tuple[str, ...]

    @property
    def objects(self) -> tuple[str, ...]:
        if OBJECT_KWARGS & set(self.kwargs):
            return ("own", "foreign", "missing")
        return ("none",)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _arguments(pattern) -> tuple[str, ...]:
    return tuple(pattern.pattern.converters) or tuple(sorted(pattern.pattern.regex.groupindex))


def _walk(resolver, namespaces, inherited, found):
    for pattern in resolver.url_patterns:
        arguments = inherited + _arguments(pattern)
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ([pattern.namespace] if pattern.namespace else [])
            _walk(pattern, spaces, arguments, found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = ":".join([*namespaces, pattern.name])
            found.setdefault(name, UrlName(name, arguments))


def url_names() -> list[UrlName]:
    """Every named URL of the project, sorted by name (the first pattern of a repeated name)."""
    found: dict[str, UrlName] = {}
    _walk(get_resolver(), [], (), found)
    return sorted(found.values(), key=lambda url: url.name)


def _admin_model(name: str):
    """The model behind ``admin:<app>_<model>_<action>``, or None."""
    from django.apps import apps
    from django.contrib import admin

    view = name.removeprefix("admin:")
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if view.startswith(prefix):
            return model
    return apps.get_model("accounts", "user") if view.startswith("auth_user_") else None


def _admin_instance(model, side, which: str):
    """A row of ``model`` belonging to ``side`` where the world has one, else the first (own)
    or last (foreign) row."""
    label = model._meta.label_lower
    application = side.application
    known = {
        "accounts.user": side.client_user,
        "accounts.storedfile": side.pdf_document.file,
        "accounts.mfaresetrequest": side.mfa_reset,
        "applications.application": side.queued,  # the admin lists submitted ones only
        "clients.client": application.client,
        "representatives.representative": application.representative,
        "support.supportrequest": side.support_request,
    }
    if label in known:
        return known[label]
    by_user = {
        "mfa.authenticator": side.rep_user,
        "account.emailaddress": side.client_user,
        "usersessions.usersession": side.rep_user,
    }
    if label in by_user:
        row = model.objects.filter(user=by_user[label]).first()
        if row is not None:
            return row
    return model.objects.order_by("pk" if which == "own" else "-pk").first()


def _object_values(url: UrlName, side) -> dict:
    application = side.application
    pa = application.principal_applicant
    values = {
        "public_id": application.public_id,
        "person_id": side.spouse.public_id,
        "document_id": side.pdf_document.public_id,
        "slot_key": side.pdf_document.slot_key,
        "correction_id": side.correction.public_id,
        "request_id": side.document_request.public_id,
    }
    name = url.name
    if name.startswith("forms_imm:"):
        values["person_id"] = pa.public_id
    if name in ("applications:document_image", "applications:document_translation"):
        values["document_id"] = side.image_document.public_id
    if name in (
        "applications:submission",
        "applications:submission_package",
        "applications:circumstance_report",
        "applications:requested_document_upload",
    ):
        values["public_id"] = side.queued.public_id
    if name in PR_URLS or name.startswith("admin:applications_application_pr_"):
        # The world's PR confirmation is on the queued application's PA.
        values["public_id"] = side.queued.public_id
        values["person_id"] = side.queued.principal_applicant.public_id
    if name == "admin:applications_application_print":
        values["person_id"] = side.queued.principal_applicant.public_id
    if name == "clients:document_image":
        values["document_id"] = side.image_document.public_id
    if name == "support:request_detail":
        values["public_id"] = side.support_request.public_id
    if name == "representatives:id_document":
        values["public_id"] = application.representative.id_document.public_id
    if fnmatch.fnmatch(name, "admin:representatives_representative_*"):
        values["public_id"] = application.representative.public_id
    if name == "admin:support_supportrequest_screenshot":
        values["public_id"] = side.support_request.screenshots.get().file.public_id
    if name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        values["content_type_id"] = ContentType.objects.get_for_model(application).pk
        values["object_id"] = application.pk
    elif url.is_admin and {"object_id", "id"} & set(url.kwargs):
        model = _admin_model(name)
        row = _admin_instance(model, side, "own" if side.letter == "A" else "foreign")
        values["object_id"] = values["id"] = row.pk if row is not None else MISSING_PK
    return values


def kwargs_for(url: UrlName, world, obj: str) -> dict:
    """The URL arguments for ``obj`` (own, foreign, missing or none)."""
    if obj == "none":
        values = {}
    elif obj == "missing":
        values = {
            "public_id": uuid.uuid4(),
            "person_id": uuid.uuid4(),
            "document_id": uuid.uuid4(),
            "correction_id": uuid.uuid4(),
            "request_id": uuid.uuid4(),
            "slot_key": "passport",
            "object_id": MISSING_PK,
            "id": MISSING_PK,
            "content_type_id": MISSING_PK,
        }
    else:
        values = _object_values(url, world.a if obj == "own" else world.b)
    values = {**PLAIN_KWARGS, **values}
    unknown = set(url.kwargs) - set(values)
    assert not unknown, (
        f"tests/security/urls.py does not know how to fill {sorted(unknown)} for the URL "
        f"{url.name!r}: add the argument to kwargs_for (or PLAIN_KWARGS)."
    )
    return {kwarg: values[kwarg] for kwarg in url.kwargs}


def url_for(url: UrlName, world, obj: str) -> str:
    return reverse(url.name, kwargs=kwargs_for(url, world, obj))
