"""The staff roles as groups with permissions (docs/staff.md)."""

from django.db import migrations

from applications.migrations._groups import grant_permissions

_READ_APPLICATIONS = [
    "applications.view_application",
    "applications.view_person",
    "applications.view_document",
    "applications.view_staffdecision",
    "applications.view_documentrequest",
]
_PROCESS = [
    "applications.accept_application",
    "applications.return_application",
    "applications.request_documents",
]
_CATALOGUE = [
    f"applications.{verb}_{model}"
    for model in ("program", "programintake", "checklistitem", "feerule")
    for verb in ("view", "add", "change")
]
ROLES = {
    # Accepts, returns and asks for documents.
    "Processing officer": _READ_APPLICATIONS + _PROCESS,
    # Also approves and refuses.
    "Supervisor": [*_READ_APPLICATIONS, *_PROCESS, "applications.decide_application"],
    # Manages programs and intake; sees applications (the queue) but acts on none.
    "Program administrator": [
        *_CATALOGUE,
        "applications.manage_intake",
        "applications.view_application",
    ],
}


def create_groups(apps, schema_editor):
    grant_permissions(apps, ROLES)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_staff_processing"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
