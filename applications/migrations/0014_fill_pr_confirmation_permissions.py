"""The PR-confirmation permission and read access for the staff roles (docs/staff.md):
processing officers and supervisors review PR photos and confirm permanent residence."""

from django.db import migrations

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
    from django.contrib.auth.management import create_permissions

    # As in 0008_fill_staff_groups: the permissions are created after the whole migration run
    # otherwise, and the groups need them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


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
