"""Representative B and client B get 404 on every URL of the forms_imm app that names A's objects.

Walks every URL name in the ``forms_imm`` namespace (not a sample), by GET and by POST, with
application A's identifiers (and every form and section of the registry for the names that
take them); each answer must be a 404 (405 for a method the view does not take) whose body
holds no canary of A, and nothing may be written. A name added later is covered
automatically; a name this test cannot fill fails it.
"""

import uuid

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from forms_imm.models import FormSection
from forms_imm.sections import FORMS, form_needed
from forms_imm.spec import SectionContext
from tests import factories
from tests.forms_imm.helpers import BORN

pytestmark = pytest.mark.django_db

GET_ONLY = {"overview", "print"}


def url_names() -> list[tuple[str, list[str]]]:
    _, namespace_resolver = get_resolver().namespace_dict["forms_imm"]
    return [
        (pattern.name, list(pattern.pattern.converters))
        for pattern in namespace_resolver.url_patterns
    ]


def test_the_walk_sees_every_url_of_the_app():
    assert {name for name, _ in url_names()} == {"overview", "section_edit", "print"}


def every_kwargs(converters, application, people, *, only_needed=False):
    """Every way to fill the URL for ``application``: each person, form and section (with
    ``only_needed``, only the forms and sections that person has: IMM 5444 is for the PR card
    programs, IMM 5562 for the principal applicant where the program asks it)."""
    known = {"public_id", "person_id", "form", "section"}
    missing = set(converters) - known
    assert not missing, f"the test does not know how to fill {missing}"
    combos = []
    today = timezone.localdate()
    for person in people:
        context = SectionContext(application=application, person=person, today=today)
        for form in FORMS.values():
            if only_needed and not form_needed(form, person, application, today):
                continue
            sections = form.sections_for(person, context) if only_needed else form.sections
            for section in sections:
                values = {
                    "public_id": application.public_id,
                    "person_id": person.public_id,
                    "form": form.key,
                    "section": section.slug,
                }
                combos.append({name: values[name] for name in converters})
    unique = []
    for combo in combos:
        if combo not in unique:
            unique.append(combo)
    return unique


@pytest.fixture
def a_people(world):
    application = world.application_a
    pa = application.principal_applicant
    pa.date_of_birth = BORN
    pa.save(update_fields=["date_of_birth"])
    spouse = factories.make_person(
        application=application, relationship="10", family_name="CANARY-A-Spouse"
    )
    FormSection.objects.create(
        application=application,
        person=pa,
        form="imm5669",
        section="background",
        data={"details": "CANARY-A-Details"},
    )
    return [pa, spouse]


def expected_for(name, method):
    return 405 if method == "post" and name in GET_ONLY else 404


@pytest.mark.parametrize("persona", ["rep_b", "client_b"])
@pytest.mark.parametrize(("name", "converters"), url_names())
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_parties_get_404_for_every_url_naming_a_objects(
    request, world, a_people, outbox, persona, name, converters, method
):
    client = request.getfixturevalue(persona)
    application = world.application_a
    for kwargs in every_kwargs(converters, application, a_people):
        url = reverse(f"forms_imm:{name}", kwargs=kwargs)
        response = getattr(client, method)(
            url, {"expected_version": "0", "details": "X", "action": "save"}
        )
        assert response.status_code == expected_for(name, method), (name, method, kwargs)
        assert "CANARY-A" not in response.content.decode()
    assert outbox.emails == []
    assert application.events.count() == 0
    assert FormSection.objects.get().data == {"details": "CANARY-A-Details"}


@pytest.mark.parametrize(("name", "converters"), url_names())
def test_a_missing_uuid_is_the_same_404(rep_a, world, name, converters):
    kwargs = {
        c: uuid.uuid4()
        if c in ("public_id", "person_id")
        else {"form": "imm5669"}.get(c, "history")
        for c in converters
    }
    assert rep_a.get(reverse(f"forms_imm:{name}", kwargs=kwargs)).status_code == 404


@pytest.mark.parametrize(("name", "converters"), url_names())
def test_representative_a_reaches_every_url_of_a(rep_a, world, a_people, name, converters):
    for kwargs in every_kwargs(converters, world.application_a, a_people, only_needed=True):
        response = rep_a.get(reverse(f"forms_imm:{name}", kwargs=kwargs))
        assert response.status_code == 200, kwargs
        assert "CANARY-B" not in response.content.decode()


def test_client_a_reads_the_printable_view_but_not_the_editing_pages(client_a, world, a_people):
    application = world.application_a
    pa = a_people[0]
    printable = reverse("forms_imm:print", args=[application.public_id, pa.public_id, "imm5669"])
    assert client_a.get(printable).status_code == 200
    overview = reverse("forms_imm:overview", args=[application.public_id])
    assert client_a.get(overview).status_code == 404
