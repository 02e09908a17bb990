"""PR confirmation pages: the client's per-person form (errors next to the fields, nothing
typed lost), the eCOPR download and error report, the representative's read-only view, the
staff admin pages, and query counts that do not grow with the number of people."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications import ecopr, pr_confirmation
from applications.models import EcoprErrorReport, PRConfirmation
from tests import factories
from tests.applications.pr_helpers import ADDRESS, active_client, approved_application, photo
from tests.conftest import signed_in
from tests.forms_imm.test_queries import baseline, count
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, make_staff_in

pytestmark = pytest.mark.django_db
State = PRConfirmation.State


@pytest.fixture(autouse=True)
def _english():
    # A French page leaves French active in this thread; URLs here are reversed in English.
    with translation.override("en"):
        yield


@pytest.fixture
def approved():
    application, _ = approved_application(dependants=1)
    return application


def first(application) -> PRConfirmation:
    return pr_confirmation.confirmations_for(application)[0]


def confirm_url(application, confirmation):
    return reverse(
        "clients:pr_confirm", args=[application.public_id, confirmation.person.public_id]
    )


def ecopr_url(application, confirmation):
    return reverse(
        "applications:ecopr", args=[application.public_id, confirmation.person.public_id]
    )


def error_url(application, confirmation):
    return reverse(
        "clients:ecopr_error", args=[application.public_id, confirmation.person.public_id]
    )


def form_data(**overrides):
    data = {
        "in_canada": "yes",
        "entered_canada_on": "2026-01-05",
        **ADDRESS,
        "postal_code": "k1m1m4",
        "photo": SimpleUploadedFile("photo.png", factories.png_bytes(600, 800)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def issued(application, confirmation):
    pr_confirmation.pr_confirmation_send(
        confirmation=confirmation,
        actor=application.client.user,
        in_canada=True,
        entered_canada_on=None,
        address=ADDRESS,
        photo=photo(),
    )
    PRConfirmation.objects.filter(pk=confirmation.pk).update(
        state=State.CONFIRMED, landed_on="2026-02-01"
    )
    ecopr.ecopr_build(confirmation_id=confirmation.pk)
    confirmation.refresh_from_db()
    return confirmation


def test_the_client_page_lists_each_person_with_a_confirm_button(approved):
    client = signed_in(approved.client.user)
    body = client.get(reverse("clients:application", args=[approved.public_id])).content.decode()
    assert 'data-testid="pr-confirmations"' in body
    for confirmation in pr_confirmation.confirmations_for(approved):
        assert confirm_url(approved, confirmation) in body
    assert "Stays" not in body.split('data-testid="pr-confirmations"')[1].split("</section>")[0]


def test_the_client_sends_the_form_and_the_person_waits_for_review(approved):
    client = signed_in(approved.client.user)
    confirmation = first(approved)
    response = client.post(confirm_url(approved, confirmation), form_data())
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.state == State.SUBMITTED
    assert confirmation.postal_code == "K1M 1M4"
    assert confirmation.photo.width == 600


@pytest.mark.parametrize(
    ("overrides", "field", "code_text"),
    [
        ({"postal_code": "12345"}, "postal_code", "Canadian postal code"),
        ({"province": "XX"}, "province", "province or territory from the list"),
        ({"in_canada": "no"}, "in_canada", "only while the person is in Canada"),
        ({"entered_canada_on": "2999-01-01"}, "entered_canada_on", "cannot be in the future"),
        (
            {"photo": SimpleUploadedFile("small.png", factories.png_bytes(300, 300))},
            "photo",
            "at least 420",
        ),
        (
            {"photo": SimpleUploadedFile("photo.pdf", b"%PDF-1.4 not a photo")},
            "photo",
            "JPG, PNG",
        ),
        ({"photo": None}, "photo", "Choose the photo"),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field_and_keeps_what_was_typed(
    approved, overrides, field, code_text
):
    client = signed_in(approved.client.user)
    confirmation = first(approved)
    response = client.post(confirm_url(approved, confirmation), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert code_text in " ".join(form.errors[field])
    body = response.content.decode()
    assert "24 Sussex Drive" in body and "Ottawa" in body  # nothing typed is lost
    confirmation.refresh_from_db()
    assert confirmation.state == State.PENDING


def test_the_form_is_in_french_for_a_french_client(approved):
    client = signed_in(approved.client.user)
    confirmation = first(approved)
    url = confirm_url(approved, confirmation).replace("/en/", "/fr/", 1)
    response = client.post(url, form_data(postal_code="12345"))
    assert "Cette personne est-elle au Canada maintenant?" in response.content.decode()
    assert "code postal" in " ".join(response.context["form"].errors["postal_code"])


def test_another_client_and_the_representative_get_404(approved):
    confirmation = first(approved)
    for user in (active_client().user, approved.representative.user):
        client = signed_in(user)
        assert client.get(confirm_url(approved, confirmation)).status_code == 404
        assert client.post(confirm_url(approved, confirmation), form_data()).status_code == 404
    assert PRConfirmation.objects.get(pk=confirmation.pk).state == State.PENDING


def test_the_form_is_closed_while_the_photo_is_under_review(approved):
    client = signed_in(approved.client.user)
    confirmation = first(approved)
    client.post(confirm_url(approved, confirmation), form_data())
    assert client.get(confirm_url(approved, confirmation)).status_code == 409


def test_after_a_rejection_the_form_is_filled_in_and_shows_the_reason(approved):
    client = signed_in(approved.client.user)
    confirmation = first(approved)
    client.post(confirm_url(approved, confirmation), form_data())
    pr_confirmation.pr_photo_review(
        confirmation=confirmation,
        actor=make_staff_in(OFFICER),
        accept=False,
        reason="CANARY-REASON glare on the glasses",
    )
    body = client.get(reverse("clients:application", args=[approved.public_id])).content.decode()
    assert "CANARY-REASON glare on the glasses" in body
    response = client.get(confirm_url(approved, confirmation))
    assert response.status_code == 200
    assert response.context["form"].initial["address_line"] == "24 Sussex Drive"


def test_the_ecopr_is_downloaded_by_the_client_and_the_representative_only(approved):
    confirmation = first(approved)
    url = ecopr_url(approved, confirmation)
    assert signed_in(approved.client.user).get(url).status_code == 404  # not issued yet
    issued(approved, confirmation)
    for user in (approved.client.user, approved.representative.user):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
    for user in (active_client().user, factories.make_representative().user):
        assert signed_in(user).get(url).status_code == 404


def test_the_client_page_says_where_the_pr_card_goes(approved):
    confirmation = issued(approved, first(approved))
    body = (
        signed_in(approved.client.user)
        .get(reverse("clients:application", args=[approved.public_id]))
        .content.decode()
    )
    assert "The PR card will be mailed to:" in body
    assert "24 Sussex Drive, Ottawa ON  K1M 1M4" in body
    assert ecopr_url(approved, confirmation) in body
    assert error_url(approved, confirmation) in body


def test_the_client_reports_an_error_and_bad_input_shows_next_to_the_field(approved):
    confirmation = first(approved)
    client = signed_in(approved.client.user)
    assert client.get(error_url(approved, confirmation)).status_code == 409  # no eCOPR yet
    issued(approved, confirmation)
    response = client.post(error_url(approved, confirmation), {"field": "name"})
    assert response.status_code == 200 and "correct_value" in response.context["form"].errors
    response = client.post(
        error_url(approved, confirmation), {"field": "name", "correct_value": "Amina Tremblay"}
    )
    assert response.status_code == 302
    assert EcoprErrorReport.objects.get().correct_value == "Amina Tremblay"


def test_the_representative_sees_the_states_read_only(approved):
    confirmation = issued(approved, first(approved))
    body = (
        signed_in(approved.representative.user)
        .get(reverse("applications:detail", args=[approved.public_id]))
        .content.decode()
    )
    assert 'data-testid="pr-confirmations"' in body
    assert ecopr_url(approved, confirmation) in body
    assert "clients/applications" not in body.split('data-testid="pr-confirmations"')[1]


# --- staff -----------------------------------------------------------------------------------


def admin_url(name, application, confirmation):
    return reverse(
        f"admin:applications_application_{name}",
        args=[application.pk, confirmation.person.public_id],
    )


def test_staff_review_and_confirm_in_the_admin(approved, django_capture_on_commit_callbacks):
    confirmation = first(approved)
    signed_in(approved.client.user).post(confirm_url(approved, confirmation), form_data())
    officer = signed_in(make_staff_in(OFFICER))
    change = reverse("admin:applications_application_change", args=[approved.pk])
    body = officer.get(change).content.decode()
    assert admin_url("pr_review", approved, confirmation) in body
    page = officer.get(admin_url("pr_review", approved, confirmation)).content.decode()
    assert admin_url("pr_photo", approved, confirmation) in page
    photo_response = officer.get(admin_url("pr_photo", approved, confirmation))
    assert photo_response.status_code == 200 and photo_response["Content-Type"] == "image/png"
    # A rejection without a reason is refused next to the field.
    response = officer.post(admin_url("pr_review", approved, confirmation), {"decision": "reject"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = officer.post(admin_url("pr_review", approved, confirmation), {"decision": "accept"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(admin_url("pr_confirm", approved, confirmation), {"confirm": "on"})
    assert response.status_code == 302
    confirmation.refresh_from_db()
    assert confirmation.state == State.CONFIRMED and confirmation.ecopr_id is not None


def test_staff_without_the_permission_get_403(approved):
    confirmation = first(approved)
    program_admin = signed_in(make_staff_in(PROGRAM_ADMIN))
    for name in ("pr_review", "pr_confirm", "pr_photo"):
        assert program_admin.get(admin_url(name, approved, confirmation)).status_code == 403


# --- query counts ----------------------------------------------------------------------------


def _pages(application):
    return [
        (
            signed_in(application.client.user),
            reverse("clients:application", args=[application.public_id]),
        ),
        (
            signed_in(application.representative.user),
            reverse("applications:detail", args=[application.public_id]),
        ),
        (
            signed_in(make_staff_in(OFFICER)),
            reverse("admin:applications_application_change", args=[application.pk]),
        ),
    ]


def test_page_queries_do_not_grow_with_the_number_of_people():
    small, _ = approved_application(dependants=1)
    large, _ = approved_application(dependants=5, number="F000000043")
    for application in (small, large):
        # The same mix of states on both: the first person confirmed with a report, the rest
        # waiting.
        confirmation = issued(application, first(application))
        EcoprErrorReport.objects.create(
            confirmation=confirmation,
            field="name",
            correct_value="x",
            reported_by=application.client.user,
        )
    counts = []
    for application in (small, large):
        row = []
        for client, url in _pages(application):
            base = baseline(client)
            client.get(url)  # process-wide caches (content types) warmed by the first request
            queries, response = count(client, "get", url)
            assert response.status_code == 200
            row.append(queries - base)
        counts.append(row)
    assert counts[0] == counts[1], counts
