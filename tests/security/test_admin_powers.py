"""Staff who may change users cannot hand out staff, superuser or group powers (QUALITY.md §3).

Found by the quality pass: Django's UserAdmin let anyone with ``accounts.change_user`` tick
"staff status", "superuser status" or add groups, change a superuser's email or set its
password, and GroupAdmin let anyone with ``auth.change_group`` add permissions to their own
group. Only superusers do these now.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_desk_user(db):
    user = factories.make_staff(email="user-desk@example.test")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=("accounts", "auth"),
            codename__in=("view_user", "change_user", "view_group", "change_group", "add_group"),
        )
    )
    return user


@pytest.fixture
def user_desk(user_desk_user):
    return signed_in(user_desk_user)


def change_post(user, **overrides):
    data = {
        "email": user.email,
        "role": user.role,
        "preferred_language": "en",
        "is_active": "on",
        **overrides,
    }
    return data


def test_a_user_desk_cannot_make_anyone_staff_superuser_or_a_group_member(
    user_desk, user_desk_user
):
    client_user = factories.make_user(role=User.Role.CLIENT, email="someone@example.test")
    group = Group.objects.create(name="Everything")
    group.permissions.add(*Permission.objects.all())
    for target in (client_user, user_desk_user):
        url = reverse("admin:accounts_user_change", args=[target.pk])
        assert user_desk.get(url).status_code == 200  # a staff account: shown read-only
        response = user_desk.post(
            url,
            change_post(target, is_staff="on", is_superuser="on", groups=[group.pk], role="staff"),
        )
        assert response.status_code == (302 if target == client_user else 403)
        target.refresh_from_db()
        assert not target.is_superuser
        assert not target.groups.exists()
    client_user.refresh_from_db()
    assert client_user.is_staff is False and client_user.role == User.Role.CLIENT


def test_the_change_page_shows_the_powers_read_only_to_a_user_desk(user_desk):
    client_user = factories.make_user(role=User.Role.CLIENT)
    body = user_desk.get(reverse("admin:accounts_user_change", args=[client_user.pk])).content
    assert b'name="is_superuser"' not in body
    assert b'name="is_staff"' not in body
    assert b'name="groups"' not in body


def test_a_user_desk_cannot_change_a_superuser_or_its_password(user_desk):
    root = factories.make_staff(superuser=True, email="root-target@example.test")
    change = reverse("admin:accounts_user_change", args=[root.pk])
    assert user_desk.post(change, change_post(root, email="mine@example.test")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    response = user_desk.post(
        password, {"password1": "a new long passphrase 99", "password2": "a new long passphrase 99"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root-target@example.test"
    assert root.check_password(factories.PASSWORD)


def test_a_user_desk_cannot_give_a_group_permissions(user_desk, user_desk_user):
    group = Group.objects.create(name="Desk")
    user_desk_user.groups.add(group)
    url = reverse("admin:auth_group_change", args=[group.pk])
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = user_desk.post(url, {"name": "Desk", "permissions": everything})
    assert response.status_code == 403
    assert user_desk.post(reverse("admin:auth_group_add"), {"name": "New"}).status_code == 403
    assert not group.permissions.exists()
    assert not Group.objects.filter(name="New").exists()


def test_a_superuser_still_grants_powers(superuser):
    client_user = factories.make_user(role=User.Role.STAFF, email="new-staff@example.test")
    url = reverse("admin:accounts_user_change", args=[client_user.pk])
    response = superuser.post(url, change_post(client_user, is_staff="on"))
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.is_staff
