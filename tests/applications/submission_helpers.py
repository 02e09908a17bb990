"""Build an application that passes the submit gate, for the signature and submission tests."""

from applications.models import Person
from forms_imm.imm0008 import CHILD_RELATIONSHIPS
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm import imm0008_data
from tests.forms_imm.family_helpers import family_post, member
from tests.forms_imm.helpers import BORN, complete_posts, section_url, table_post

PROFILE = {
    "sex": "F",
    "date_of_birth": BORN,
    "birth_city": "Ottawa",
    "birth_country": "FR",
    "citizenship_1": "FR",
    "marital_status": "01",
    "correspondence_language": "en",
}


def complete_profiles(application) -> tuple[Person, Person]:
    """The PA and a married spouse, with every profile field the task list asks for."""
    pa = application.principal_applicant
    Person.objects.filter(pk=pa.pk).update(email=application.client.user.email, **PROFILE)
    pa.refresh_from_db()
    spouse = factories.make_person(
        application=application, relationship="10", family_name="Spouse", given_names="Sam",
        accompanying=True, **{**PROFILE, "sex": "M"},
    )  # fmt: skip
    return pa, spouse


def _imm0008_posts(person, people, context) -> dict[str, dict]:
    """The PA's pages list every other person in the dependants block; the others fill the
    dependant pages (a spouse gives the marriage date, anyone else leaves it empty)."""
    if person.is_principal:
        rows = []
        for other in people:
            if other.is_principal:
                continue
            row = {"person": str(other.public_id)}
            if other.relationship in CHILD_RELATIONSHIPS:
                row["dependant_type"] = "01"
            rows.append(row)
        return imm0008_data.complete_posts(dependants=rows)
    married = person.marital_status == "01"
    return {
        "personal": imm0008_data.personal_post(),
        "marital": imm0008_data.marital_post(**({} if married else {"marriage_date": ""})),
        "passport": imm0008_data.passport_post(),
        "national-id": imm0008_data.national_id_post(),
        "education": imm0008_data.education_post(),
        "languages": imm0008_data.languages_post(),
    }


def _imm5406_posts(person, people, context) -> dict[str, dict]:
    """What the pages pre-fill from the profiles (linked spouse, parents, children, brothers
    and sisters), completed with the family helper's answers for what no profile holds."""
    from forms_imm.sections import FORMS

    initial = {
        section.slug: section.initial({}, context) if section.initial else {}
        for section in FORMS["imm5406"].sections
    }
    section_a = family_post()
    section_a.update({key: value for key, value in initial["family"].items() if value})
    if not any(key.startswith("spouse_profile") for key in initial["family"]):
        section_a = {k: v for k, v in section_a.items() if not k.startswith("spouse_")}
        section_a["no_spouse"] = "on"
    posts = {"family": section_a}
    for slug in ("children", "siblings"):
        rows = [
            {**row, **member(), **{k: v for k, v in row.items() if v}, "id": None}
            for row in initial[slug].get(slug) or []
        ]
        posts[slug] = {**({} if rows else {"not_applicable": "on"}), **table_post(slug, rows)}
    return posts


def _imm5562_posts(person, people, context) -> dict[str, dict]:
    """Nobody travelled in the period."""
    from forms_imm.imm5562 import SECTIONS

    return {
        section.slug: {"did_not_travel": "on", **table_post("trips", [])} for section in SECTIONS
    }


POSTS = {
    "imm0008": _imm0008_posts,
    "imm5669": lambda person, people, context: complete_posts(),
    "imm5406": _imm5406_posts,
    "imm5562": _imm5562_posts,
}


def complete_forms(rep_client, application, people) -> None:
    """Every digital form each person needs (``forms_for_person``, optional ones included),
    every section marked complete through the real page with answers that pass the strict
    check."""
    from django.utils import timezone

    from applications.tasks_list import forms_for_person
    from forms_imm.sections import FORMS
    from forms_imm.spec import SectionContext

    today = timezone.localdate()
    for person in people:
        context = SectionContext(application=application, person=person, today=today)
        for form, _required in forms_for_person(person, application.program, today):
            posts = POSTS[form](person, people, context)
            for section in FORMS[form].sections_for(person, context):
                row = FormSection.objects.filter(
                    person=person, form=form, section=section.slug
                ).first()
                body = {
                    **posts[section.slug],
                    "expected_version": str(row.version if row else 0),
                    "action": "complete",
                }
                url = section_url(application, person, section.slug, form=form)
                response = rep_client.post(url, body)
                assert response.status_code == 302, (form, section.slug, response.status_code)
                row = FormSection.objects.get(person=person, form=form, section=section.slug)
                assert row.state == "complete", (form, section.slug, row.problems)


def upload_required_documents(application) -> None:
    """Program details first (they decide the checklist), then a file in each required slot."""
    from applications.documents import document_slots
    from applications.models import Application

    details = {"sponsorship_category": "spouse", "sponsor_lives_in_quebec": False}
    Application.objects.filter(pk=application.pk).update(program_details=details)
    application.program_details = details

    for slot in document_slots(application):
        if slot.is_required and not slot.done and slot.item is not None:
            factories.make_document(
                application=application, item_code=slot.item.code, person=slot.person
            )


def make_ready(rep_client, application) -> tuple[Person, Person]:
    """Profiles, forms, program details and documents done: only signatures are left."""
    pa, spouse = complete_profiles(application)
    complete_forms(rep_client, application, [pa, spouse])
    upload_required_documents(application)
    application.refresh_from_db()
    return pa, spouse
