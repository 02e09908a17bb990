"""An individual (a client account of their own) and a self-represented application."""

from applications.models import Program
from applications.services import application_self_start
from clients.services import client_self_register
from tests import factories


def make_individual(email=None):
    user = factories.make_user(role="client", email=email)
    client_self_register(user=user)
    return user


def make_own_application(user, program_code="family_spouse_partner_child", name="Indie"):
    return application_self_start(
        client=user.client,
        family_name=name,
        given_names="Ivy",
        program=Program.objects.get(code=program_code),
    )
