"""Staff members in the role groups the migration creates."""

from django.contrib.auth.models import Group

from tests import factories

OFFICER = "Processing officer"
SUPERVISOR = "Supervisor"
PROGRAM_ADMIN = "Program administrator"


def make_staff_in(group: str, **extra):
    user = factories.make_staff(**extra)
    user.groups.add(Group.objects.get(name=group))
    return type(user).objects.get(pk=user.pk)  # a fresh object: no stale permission cache
