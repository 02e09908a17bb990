"""Build an application that passes the submit gate, for the signature and submission tests."""

from applications.models import Person
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm.helpers import BORN, complete_posts, section_url

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


def complete_forms(rep_client, application, people) -> None:
    """Every IMM 5669 section of each person, marked complete through the real page."""
    for person in people:
        for slug, post in complete_posts().items():
            row = FormSection.objects.filter(person=person, form="imm5669", section=slug).first()
            body = {
                **post,
                "expected_version": str(row.version if row else 0),
                "action": "complete",
            }
            response = rep_client.post(section_url(application, person, slug), body)
            assert response.status_code == 302, (slug, response.status_code)


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
