"""form_section_save and canonical_form_json: versions, states, history rows, snapshots."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.errors import VersionConflict
from applications.models import Application, ApplicationEvent, Person
from forms_imm import services
from forms_imm.models import FormSection
from forms_imm.sections import get_section_or_404
from tests.forms_imm.helpers import BORN, TODAY, stored

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN)
    person.refresh_from_db()
    return person


def section(slug):
    return get_section_or_404("imm5669", slug)[1]


def save(application, person, slug, data, *, version, **kwargs):
    return services.form_section_save(
        application=application,
        person=person,
        section=section(slug),
        data=data,
        expected_version=version,
        actor=application.representative.user,
        **kwargs,
    )


def test_the_first_save_creates_version_1_and_each_save_adds_one(application_a, pa):
    assert save(application_a, pa, "background", {"details": "a"}, version=0).version == 1
    assert save(application_a, pa, "background", {"details": "b"}, version=1).version == 2
    assert FormSection.objects.get().version == 2


def test_a_stale_version_raises_and_overwrites_nothing(application_a, pa):
    save(application_a, pa, "background", {"details": "a"}, version=0)
    save(application_a, pa, "background", {"details": "b"}, version=1)
    with pytest.raises(VersionConflict) as raised:
        save(application_a, pa, "background", {"details": "stale"}, version=1)
    assert raised.value.current.data == {"details": "b"}
    assert FormSection.objects.get().data == {"details": "b"}


def test_a_second_first_save_of_the_same_section_conflicts(application_a, pa):
    save(application_a, pa, "background", {"details": "tab one"}, version=0)
    with pytest.raises(services.SectionConflict):
        save(application_a, pa, "background", {"details": "tab two"}, version=0)
    assert FormSection.objects.count() == 1


def test_states_follow_the_answers(application_a, pa):
    from tests.forms_imm.helpers import background_post

    answers = {key: value == "True" for key, value in background_post().items()}
    answers["details"] = ""
    row = save(application_a, pa, "background", answers, version=0)
    assert row.state == "in_progress"
    row = save(application_a, pa, "background", answers, version=1, mark_complete=True)
    assert row.state == "complete" and row.version == 2
    row = save(application_a, pa, "background", {**answers, "detention": True}, version=2)
    assert row.state == "in_progress"
    row = save(
        application_a,
        pa,
        "background",
        {**answers, "detention": True},
        version=3,
        mark_complete=True,
    )
    assert row.state == "needs_attention" and row.problems == {"count": 1, "periods": []}


def test_an_autosave_that_changes_nothing_keeps_a_complete_section_complete(application_a, pa):
    from tests.forms_imm.helpers import background_post

    answers = {key: value == "True" for key, value in background_post().items()}
    answers["details"] = ""
    save(application_a, pa, "background", answers, version=0, mark_complete=True)
    row = save(application_a, pa, "background", answers, version=1, autosave=True)
    assert row.state == "complete" and row.version == 1


def test_every_save_records_who_and_which_fields_never_values(application_a, pa):
    save(application_a, pa, "personal", {"father_family_name": "CANARY-A-Father"}, version=0)
    event = ApplicationEvent.objects.get()
    assert event.action == "form.section_saved"
    assert event.actor == application_a.representative.user
    assert event.fields == ["father_family_name"]
    assert event.reason == "imm5669.personal"
    assert "CANARY" not in json.dumps([event.fields, event.reason])


def test_autosaves_in_one_editing_session_share_a_history_row(application_a, pa, frozen):
    for version in range(3):
        save(
            application_a,
            pa,
            "background",
            {"details": str(version)},
            version=version,
            autosave=True,
        )
    assert ApplicationEvent.objects.count() == 1
    frozen.shift(timedelta(minutes=16))
    save(application_a, pa, "background", {"details": "later"}, version=3, autosave=True)
    assert ApplicationEvent.objects.count() == 2


def test_the_application_progress_and_update_time_follow(application_a, pa, frozen):
    from forms_imm.imm5669 import SECTIONS
    from tests.forms_imm.helpers import complete_posts

    frozen.shift(timedelta(minutes=5))
    save(application_a, pa, "background", {"details": "x"}, version=0)
    application = Application.objects.get(pk=application_a.pk)
    assert application.updated_at == timezone.now()
    before = application.tasks_done
    for item in SECTIONS:
        data = _clean(section(item.slug), complete_posts()[item.slug], application_a, pa)
        row = FormSection.objects.filter(person=pa, section=item.slug).first()
        save(
            application_a,
            pa,
            item.slug,
            data,
            version=row.version if row else 0,
            mark_complete=True,
        )
    application.refresh_from_db()
    assert application.tasks_done == before + 1  # the whole IMM 5669 is done


def test_the_progress_shortcut_always_equals_a_full_recomputation(application_a, pa, frozen):
    """A section save moves tasks_done by its form's task; after every kind of state change
    (complete, reopened by an edit, needs attention, complete again) the stored counters equal
    a full recomputation of the task list."""
    from applications.tasks_list import application_task_list, progress
    from forms_imm.imm5669 import SECTIONS
    from tests.forms_imm.helpers import complete_posts

    def assert_counters_true():
        application = Application.objects.get(pk=application_a.pk)
        expected = progress(application_task_list(application))
        assert (application.tasks_done, application.tasks_total) == expected
        return expected[0]

    start = assert_counters_true()
    posts = complete_posts()
    for item in SECTIONS:
        data = _clean(section(item.slug), posts[item.slug], application_a, pa)
        save(application_a, pa, item.slug, data, version=0, mark_complete=True)
        assert_counters_true()
    assert assert_counters_true() == start + 1
    # An edit reopens one section: the form is no longer done.
    reopened = _clean(
        section("personal"), {**posts["personal"], "native_name": "Autre"}, application_a, pa
    )
    save(application_a, pa, "personal", reopened, version=1)
    assert assert_counters_true() == start
    # A failed check (needs attention) keeps it not done; completing again counts it once.
    broken = {**reopened, "father_family_name": ""}
    save(application_a, pa, "personal", broken, version=2, mark_complete=True)
    assert stored(pa, "personal").state == "needs_attention"
    assert assert_counters_true() == start
    save(application_a, pa, "personal", reopened, version=3, mark_complete=True)
    assert assert_counters_true() == start + 1


def _querydict(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(data)
    return query


def _clean(spec, post, application, person):
    from forms_imm.spec import SectionContext

    context = SectionContext(application=application, person=person, today=TODAY)
    bound = spec.bind(_querydict(post), context=context)
    assert bound.is_valid(), bound.errors()
    return bound.to_data()


def test_canonical_json_holds_profile_fields_and_every_section(application_a, pa):
    save(application_a, pa, "background", {"details": "é\u0301"}, version=0)
    content = json.loads(services.canonical_form_json(application_a, pa, "imm5669"))
    assert content["form"] == "imm5669" and content["schema_version"] == 1
    assert content["person"] == str(pa.public_id)
    assert content["profile"] == {
        "filling_for": "principal_applicant",
        "family_name": "CANARY-A-Family",
        "given_names": "CANARY-A-Given",
        "date_of_birth": "1985-04-23",
    }
    assert set(content["sections"]) == {
        "personal", "background", "education", "history",
        "membership", "government", "military", "addresses",
    }  # fmt: skip
    assert content["sections"]["background"] == {"details": "é\u0301"}
    assert content["sections"]["history"] == {}


def test_canonical_json_changes_with_the_answers_and_the_profile_but_not_otherwise(
    application_a, pa
):
    first = services.canonical_form_json(application_a, pa, "imm5669")
    assert services.canonical_form_json(application_a, pa, "imm5669") == first
    save(application_a, pa, "background", {"details": "x"}, version=0)
    second = services.canonical_form_json(application_a, pa, "imm5669")
    assert second != first
    pa.family_name = "Renamed"
    assert services.canonical_form_json(application_a, pa, "imm5669") != second
