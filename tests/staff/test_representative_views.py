"""What the representative sees of staff processing: the return flag and reasons, requested
documents, and withdrawing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxEmail
from applications import staff
from applications.models import Application
from tests import factories
from tests.staff.helpers import OFFICER, make_staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(rep_a_user):
    application = factories.make_application(
        representative=rep_a_user.representative,
        status="completeness_check",
        application_number="F000000009",
        family_name="Returnee",
    )
    staff.staff_action(
        application=application,
        code="return_incomplete",
        actor=make_staff_in(OFFICER),
        reasons=["fee_missing", "missing_signature"],
        items=[application.program.checklist.filter(is_active=True).first().code],
        note="Sign page 3.",
    )
    return application


def test_the_dashboard_flags_the_return_with_its_reasons(rep_a, returned):
    html = rep_a.get(reverse("applications:dashboard")).content.decode()
    assert "Returned" in html
    assert "Fee missing or underpaid" in html and "Missing signature" in html


def test_the_detail_page_shows_reasons_and_note_in_english_and_french(rep_a, returned):
    url = reverse("applications:detail", args=[returned.public_id])
    html = rep_a.get(url).content.decode()
    assert 'data-testid="staff-return"' in html
    assert "Missing signature" in html and "Sign page 3." in html
    item = returned.program.checklist.filter(is_active=True).first()
    assert f"Checklist items concerned: {item.name_en}" in html
    html = rep_a.get(url.replace("/en/", "/fr/", 1)).content.decode()
    assert "Signature manquante" in html


def test_the_flag_goes_once_the_application_moves_on(rep_a, returned):
    Application.objects.filter(pk=returned.pk).update(status="draft")
    html = rep_a.get(reverse("applications:detail", args=[returned.public_id])).content.decode()
    assert 'data-testid="staff-return"' not in html


def test_the_detail_page_lists_requested_documents(rep_a, rep_a_user):
    application = factories.make_application(
        representative=rep_a_user.representative, status="accepted", application_number="F000000010"
    )
    staff.staff_documents_request(
        application=application,
        name="Police certificate",
        due_on=timezone.localdate() + timedelta(days=20),
        actor=make_staff_in(OFFICER),
    )
    html = rep_a.get(reverse("applications:detail", args=[application.public_id])).content.decode()
    assert "Police certificate" in html and 'data-testid="document-requests"' in html


def test_the_representative_withdraws_with_confirmation(rep_a, rep_a_user):
    application = factories.make_application(
        representative=rep_a_user.representative,
        status="submitted",
        application_number="F000000011",
    )
    url = reverse("applications:withdraw", args=[application.public_id])
    detail = rep_a.get(reverse("applications:detail", args=[application.public_id]))
    assert url in detail.content.decode()
    rep_a.post(url)  # no confirmation: nothing happens
    application.refresh_from_db()
    assert application.status == "submitted"
    assert rep_a.post(url, {"confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert OutboxEmail.objects.count() == 2
    assert rep_a.post(url, {"confirm": "on"}).status_code == 409  # already withdrawn


def test_no_withdraw_button_on_a_draft_and_others_cannot_withdraw(
    rep_a, rep_b, client_a, rep_a_user
):
    draft = factories.make_application(representative=rep_a_user.representative)
    assert (
        "withdraw"
        not in rep_a.get(reverse("applications:detail", args=[draft.public_id])).content.decode()
    )
    application = factories.make_application(
        representative=rep_a_user.representative,
        status="submitted",
        application_number="F000000012",
    )
    url = reverse("applications:withdraw", args=[application.public_id])
    assert rep_b.post(url, {"confirm": "on"}).status_code == 404
    assert client_a.post(url, {"confirm": "on"}).status_code in (403, 404)
    assert rep_a.get(url).status_code == 405
    application.refresh_from_db()
    assert application.status == "submitted"


def test_dashboard_queries_stay_constant_with_returned_applications(rep_a, rep_a_user, returned):
    from tests.representatives.test_admin import count_queries

    url = reverse("applications:dashboard")
    rep_a.get(url)
    at_1 = count_queries(rep_a, url)
    officer = make_staff_in(OFFICER)
    for n in range(4):
        application = factories.make_application(
            representative=rep_a_user.representative,
            status="completeness_check",
            application_number=f"F00000002{n}",
        )
        staff.staff_action(
            application=application,
            code="return_incomplete",
            actor=officer,
            reasons=["fee_missing"],
        )
    assert count_queries(rep_a, url) == at_1
