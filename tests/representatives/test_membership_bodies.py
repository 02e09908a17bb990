"""The 15 membership bodies are data, loaded by a migration, each with a usable ID pattern."""

import importlib
import re

import pytest
from django.apps import apps

from representatives.models import MembershipBody, RepresentativeType

pytestmark = pytest.mark.django_db
fill_migration = importlib.import_module("representatives.migrations.0003_fill_membership_bodies")


@pytest.fixture
def bodies():
    # Transactional tests elsewhere flush the table; load it again the way the migration does.
    MembershipBody.objects.all().delete()
    fill_migration.fill(apps, None)
    return {body.code: body for body in MembershipBody.objects.all()}


def test_the_migration_loads_the_fifteen_bodies_of_the_workflow(bodies):
    assert len(bodies) == 15
    names = {body.name_en for body in bodies.values()}
    assert "College of Immigration and Citizenship Consultants" in names
    assert "Barreau du Québec" in names and "Chambre des notaires du Québec" in names
    assert "Law Society of Nunavut" in names and "Nova Scotia Barristers' Society" in names


def test_each_body_is_complete_and_marked_uncertain(bodies):
    for body in bodies.values():
        re.compile(body.membership_id_pattern)
        assert body.pattern_hint_en and body.pattern_hint_fr and body.name_fr
        assert "uncertain" in body.source_note
        assert set(body.representative_types) <= set(RepresentativeType.values)
        assert body.representative_types


def test_types_map_to_their_bodies(bodies):
    def codes_for(rep_type):
        return {code for code, body in bodies.items() if body.applies_to(rep_type)}

    assert codes_for("consultant") == {"cicc"}
    assert codes_for("paralegal") == {"lso"}
    assert codes_for("notary") == {"cnq"}
    assert len(codes_for("lawyer")) == 13 and "bdq" in codes_for("lawyer")


@pytest.mark.parametrize(
    ("code", "membership_id", "valid"),
    [
        ("cicc", "R123456", True),
        ("cicc", "R12345", False),
        ("cicc", "R1234567", False),
        ("cicc", "123456", False),
        ("cicc", "R123456\n", False),
        ("lso", "12345A", True),
        ("lso", "P12345", True),
        ("bdq", "AB", False),
        ("bdq", "A" * 21, False),
        ("bdq", "12 345", False),
        ("bdq", "-12345", False),
    ],
)
def test_patterns(bodies, code, membership_id, valid):
    assert bodies[code].membership_id_is_valid(membership_id) is valid


def test_name_and_hint_follow_the_language(bodies):
    from django.utils import translation

    with translation.override("fr"):
        assert bodies["lso"].name == "Barreau de l'Ontario"
        assert bodies["cicc"].pattern_hint.startswith("R suivi de")
    with translation.override("en"):
        assert str(bodies["lso"]) == "Law Society of Ontario"


def test_migration_can_be_reversed_without_losing_bodies_in_use(bodies):
    from tests import factories

    factories.make_representative()  # uses cicc
    fill_migration.empty(apps, None)
    assert list(MembershipBody.objects.values_list("code", flat=True)) == ["cicc"]
