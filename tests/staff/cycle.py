"""The steps of the whole staff cycle (issue 8, "Must show"), through the real URLs with Django
test clients: the view-level end-to-end test (tests/staff/test_end_to_end.py) runs them all, the
browser journey (tests/browser/test_staff_cycle_journey.py) uses them to reach a state quickly.

Each step posts what a person would post on the page and returns the response; the tests assert
what each step leaves behind (status, history, emails, what each person sees)."""

import uuid
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import signatures
from applications.models import Application, ApplicationEvent
from tests import factories
from tests.applications.pr_helpers import ADDRESS, active_client
from tests.applications.submission_helpers import make_ready
from tests.forms_imm.helpers import personal_post, section_url

NOTE = "Please sign page 3 of the consent again."


def app_url(name, application, **kwargs):
    return reverse(f"applications:{name}", kwargs={"public_id": application.public_id, **kwargs})


def admin_url(name, application, *args):
    return reverse(f"admin:applications_application_{name}", args=[application.pk, *args])


def act_url(application, code):
    return admin_url("act", application, code)


def prepared(rep_user, rep_browser):
    """An application of ``rep_user`` with an active client, ready but for the signatures."""
    application = factories.make_application(
        representative=rep_user.representative,
        client=active_client(),
        family_name="Gagnon",
        given_names="Lea",
    )
    pa, spouse = make_ready(rep_browser, application)
    application.refresh_from_db()
    return application, pa, spouse


def client_signs_everything(client_browser, application) -> None:
    """The client signs every item still to sign on their signing page, one at a time."""
    application.refresh_from_db()
    for index, entry in enumerate(signatures.required_signatures(application)):
        if entry.is_valid:
            continue
        response = client_browser.post(
            app_url("sign", application),
            {
                "item": entry.key,
                f"s{index}-typed_name": entry.expected_name,
                f"s{index}-attest": "on",
            },
        )
        assert response.status_code == 302, (entry.key, response.status_code)


def sign_declare_submit(rep_browser, client_browser, application) -> Application:
    """Send for signature, the client signs, the representative declares and submits."""
    response = rep_browser.post(app_url("send_for_signature", application))
    assert response.status_code == 302
    client_signs_everything(client_browser, application)
    response = rep_browser.post(
        app_url("submit", application), {"action": "declare", "declare": "on"}
    )
    assert response.status_code == 302
    response = rep_browser.post(
        app_url("submit", application), {"submission_token": str(uuid.uuid4())}
    )
    assert response.status_code == 302, response.status_code
    application.refresh_from_db()
    return application


def staff_act(staff_browser, application, code, **fields):
    """An action page of the admin, confirmed."""
    response = staff_browser.post(act_url(application, code), {"confirm": "on", **fields})
    assert response.status_code == 302, (code, response.status_code)
    application.refresh_from_db()
    return response


def fix_a_form(rep_browser, application, person) -> None:
    """The representative corrects the father's given names in the person's IMM 5669."""
    from forms_imm.models import FormSection

    row = FormSection.objects.get(person=person, form="imm5669", section="personal")
    response = rep_browser.post(
        section_url(application, person, "personal"),
        {
            **personal_post(father_given_names="Jean-Pierre"),
            "expected_version": str(row.version),
            "action": "complete",
        },
    )
    assert response.status_code == 302


def pr_form(**overrides) -> dict:
    """The client's PR confirmation form for one person."""
    data = {
        "in_canada": "yes",
        "entered_canada_on": "2026-01-05",
        **ADDRESS,
        "photo": SimpleUploadedFile("photo.png", factories.png_bytes(600, 800)),
    }
    return {**data, **overrides}


def events(application, *actions) -> list[ApplicationEvent]:
    """The application's history rows with one of ``actions``, oldest first."""
    return list(
        ApplicationEvent.objects.filter(application=application, action__in=actions)
        .select_related("actor")
        .order_by("at", "id")
    )


def status_events(application) -> list[tuple[str, str, int | None]]:
    """(old status, new status, actor id) of every status change, oldest first."""
    return [
        (event.old_status, event.new_status, event.actor_id)
        for event in events(application, ApplicationEvent.Action.STATUS_CHANGED)
    ]


def due_date() -> date:
    return timezone.localdate() + timedelta(days=30)
