"""make run's demo representative has a complete, verified profile."""

import pytest
from django.core.management import call_command

from representatives.models import Representative

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_demo_representative_is_verified_with_a_complete_profile(debug, capsys, cicc):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "rep@demo.test" in out and "staff@demo.test" in out
    representative = Representative.objects.get(user__email="rep@demo.test")
    assert representative.status == Representative.Status.VERIFIED
    assert representative.verified_by.email == "staff@demo.test"
    assert representative.membership_body.code == "cicc"
    assert representative.membership_body.membership_id_is_valid(representative.membership_id)
    assert representative.id_document is not None
    assert representative.address_postal_code and representative.phone
    assert [e.new_status for e in representative.events.order_by("at", "pk")] == [
        "pending",
        "verified",
    ]


def test_demo_data_runs_twice_without_changes(debug, cicc):
    call_command("demo_data")
    call_command("demo_data")
    representative = Representative.objects.get(user__email="rep@demo.test")
    assert representative.events.count() == 2
    assert representative.status == Representative.Status.VERIFIED
