import pytest
import time_machine

from forms_imm.sections import FORMS
from tests.forms_imm.family_helpers import TODAY, family, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_pages(rep_a, application_a):
    people = family(application_a)
    for key in ("imm5406", "imm5562"):
        for section in FORMS[key].sections:
            for who in ("pa", "spouse", "child"):
                r = rep_a.get(section_url(application_a, people[who], section.slug, form=key))
                if key == "imm5562" and who != "pa":
                    assert r.status_code == 404
                else:
                    assert r.status_code == 200, r.content[:3000]
                r = rep_a.post(
                    section_url(application_a, people[who], section.slug, form=key),
                    {"expected_version": "0", "action": "complete"},
                )
    from applications.models import Program

    application_a.program = Program.objects.get(code="pr_card")
    application_a.save()
    for section in FORMS["imm5444"].sections:
        r = rep_a.get(section_url(application_a, people["pa"], section.slug, form="imm5444"))
        assert r.status_code == 200, r.content[:3000]
        r = rep_a.post(
            section_url(application_a, people["pa"], section.slug, form="imm5444"),
            {"expected_version": "0", "action": "complete"},
        )
        assert r.status_code in (200, 302)
        r = rep_a.get(section_url(application_a, people["pa"], section.slug, form="imm5444"))
        assert r.status_code == 200
    from tests.forms_imm.helpers import print_url

    r = rep_a.get(print_url(application_a, people["pa"], "imm5444"))
    assert r.status_code == 200
