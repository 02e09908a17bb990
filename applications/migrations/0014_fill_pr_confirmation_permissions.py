"""The PR-confirmation permission and read access for the staff roles (docs/staff.md):
processing officers and supervisors review PR photos and confirm permanent residence."""

from django.db import migrations

from applications.migrations._groups import grant_permissions

GRANTS = {
    "Processing officer": [
        "applications.confirm_pr",
        "applications.view_prconfirmation",
        "applications.view_ecoprerrorreport",
    ],
    "Supervisor": [
        "applications.confirm_pr",
        "applications.view_prconfirmation",
        "applications.view_ecoprerrorreport",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("applications", "0013_pr_confirmation")]

    operations = [migrations.RunPython(grant, revoke)]
