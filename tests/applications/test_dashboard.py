"""Dashboard: only my applications; search, filter, sort, keyset pages; constant query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Program
from clients.models import Client
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("applications:dashboard")


def make_many(representative, n, *, program=None, start=0):
    """n applications with distinct clients, names and update times (newest = index 0)."""
    now = timezone.now()
    made = []
    for i in range(start, start + n):
        application = factories.make_application(
            representative=representative,
            client=factories.make_client(email=f"c{i}-{representative.pk}@example.test"),
            program=program,
            family_name=f"Family{i:03d}",
            given_names="Given",
        )
        Application.objects.filter(pk=application.pk).update(updated_at=now - timedelta(minutes=i))
        made.append(application)
    return made


def rows(response):
    return [a.public_id for a in response.context["applications"]]


def test_dashboard_lists_only_my_applications_with_their_row_facts(rep_a, world):
    Application.objects.filter(pk=world.application_a.pk).update(
        status="returned_incomplete", tasks_done=2, tasks_total=7
    )
    Client.objects.filter(pk=world.application_a.client_id).update(
        temporary_password_expires_at=timezone.now() - timedelta(hours=1)
    )
    response = rep_a.get(URL)
    body = response.content.decode()
    assert rows(response) == [world.application_a.public_id]
    assert "CANARY-A-Family" in body and "CANARY-B" not in body
    assert "client-a@example.test" in body
    assert world.application_a.program.name_en in body
    assert "2 of 7 tasks" in body
    assert "Returned" in body and "Temporary password expired" in body


def test_signature_needed_is_flagged(rep_a, application_a):
    Application.objects.filter(pk=application_a.pk).update(status="awaiting_client_signature")
    assert "Signature needed" in rep_a.get(URL).content.decode()


@pytest.mark.parametrize("term", ["family007", "c7-", "Given Family007"])
def test_search_by_name_or_email(rep_a, rep_a_user, term):
    made = make_many(rep_a_user.representative, 12)
    response = rep_a.get(URL, {"q": term})
    assert made[7].public_id in rows(response)
    assert made[1].public_id not in rows(response)


def test_search_by_application_number(rep_a, rep_a_user):
    made = make_many(rep_a_user.representative, 3)
    Application.objects.filter(pk=made[2].pk).update(application_number="E123456789")
    assert rows(rep_a.get(URL, {"q": "e123456789"})) == [made[2].public_id]


def test_filter_by_status_and_program(rep_a, rep_a_user):
    made = make_many(rep_a_user.representative, 4)
    Application.objects.filter(pk=made[1].pk).update(status="submitted")
    pnp = Program.objects.get(code="pnp_non_express_entry")
    Application.objects.filter(pk=made[2].pk).update(program=pnp)
    assert rows(rep_a.get(URL, {"status": "submitted"})) == [made[1].public_id]
    assert rows(rep_a.get(URL, {"program": pnp.code})) == [made[2].public_id]


def test_sort_by_client_name(rep_a, rep_a_user):
    made = make_many(rep_a_user.representative, 5)
    assert rows(rep_a.get(URL, {"sort": "client"})) == [a.public_id for a in made]
    assert rows(rep_a.get(URL, {"sort": "-client"})) == [a.public_id for a in reversed(made)]
    assert rows(rep_a.get(URL, {"sort": "updated"})) == [a.public_id for a in reversed(made)]


@pytest.mark.parametrize("sort", ["-updated", "client", "-created", "status"])
def test_keyset_pages_walk_every_row_once_forwards_and_backwards(rep_a, rep_a_user, sort):
    make_many(rep_a_user.representative, 60)
    seen, pages, response = [], [], rep_a.get(URL, {"sort": sort})
    while True:
        pages.append(rows(response))
        seen += rows(response)
        if not response.context["next_url"]:
            break
        response = rep_a.get(URL + response.context["next_url"])
    assert len(seen) == len(set(seen)) == 60
    assert [len(p) for p in pages] == [25, 25, 10]
    back = rep_a.get(URL + response.context["previous_url"])
    assert rows(back) == pages[1]
    assert response.context["total"] == 60


def test_a_foreign_cursor_gives_an_empty_page_and_no_leak(rep_a, world):
    response = rep_a.get(URL, {"after": str(world.application_b.public_id)})
    assert response.status_code == 200
    assert "CANARY-B" not in response.content.decode()


def test_bad_filter_values_do_not_break_the_page(rep_a, application_a):
    response = rep_a.get(URL, {"status": "nonsense", "sort": "drop", "after": "not-a-uuid"})
    assert response.status_code == 200


def test_dashboard_personas(anon, rep_pending, client_a, staff):
    assert anon.get(URL).status_code == 302
    # An unverified representative is sent to the page that says why they wait.
    assert rep_pending.get(URL)["Location"] == "/en/representative/status/"
    assert client_a.get(URL).status_code == 404
    assert staff.get(URL).status_code == 404


def test_dashboard_rejects_post(rep_a):
    assert rep_a.post(URL).status_code == 405


def count_queries(client, url, params=None):
    client.get(url, params or {})  # the first request of a session records the session itself
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def baseline(client):
    """A trivial signed-in page: session, user and the middleware's own queries."""
    return count_queries(client, reverse("accounts:privacy"))


@pytest.mark.parametrize("params", [{}, {"q": "family", "status": "draft", "sort": "client"}])
def test_dashboard_query_budget_is_4_above_baseline_and_equal_at_1_and_25_rows(
    rep_a, rep_a_user, params
):
    base = baseline(rep_a)
    make_many(rep_a_user.representative, 1)
    at_1 = count_queries(rep_a, URL, params)
    make_many(rep_a_user.representative, 24, start=1)
    at_25 = count_queries(rep_a, URL, params)
    assert at_1 == at_25
    assert at_25 - base <= 4


def test_dashboard_query_count_is_the_same_with_5_and_500_applications(rep_a, rep_a_user):
    representative = rep_a_user.representative
    make_many(representative, 5)
    at_5 = count_queries(rep_a, URL)
    program = Program.objects.get(code="family_spouse_partner_child")
    bulk_applications(representative, program, 495)
    assert Application.objects.filter(representative=representative).count() == 500
    at_500 = count_queries(rep_a, URL)
    next_page = count_queries(rep_a, URL + rep_a.get(URL).context["next_url"])
    assert at_5 == at_500 == next_page


def bulk_applications(representative, program, n):
    from accounts.models import User
    from applications.models import Person

    users = User.objects.bulk_create(
        [User(email=f"bulk{i}@example.test", role="client") for i in range(n)]
    )
    clients = Client.objects.bulk_create([Client(user=u) for u in users])
    applications = Application.objects.bulk_create(
        [Application(representative=representative, client=c, program=program) for c in clients]
    )
    people = Person.objects.bulk_create(
        [
            Person(application=a, role="pa", family_name=f"Bulk{i}")
            for i, a in enumerate(applications)
        ]
    )
    for application, person in zip(applications, people, strict=True):
        application.principal_applicant = person
    Application.objects.bulk_update(applications, ["principal_applicant"])


def test_a_verified_representative_starts_on_the_dashboard(rep_a, rep_pending):
    response = rep_a.get(reverse("accounts:start"))
    assert response.status_code == 302 and response["Location"] == URL
    assert rep_pending.get(reverse("accounts:start"))["Location"] == "/en/representative/status/"
