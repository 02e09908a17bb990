"""Shared by the staff-group data migrations (0008, 0014): grant permissions to role groups.

The name starts with an underscore, so the migration loader does not take it for a migration.
"""


def grant_permissions(apps, roles: dict[str, list[str]]) -> None:
    """Give each group of ``roles`` (created if missing) its "app_label.codename" permissions."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the whole migration run; the groups need them
    # now. Also re-run by tests.conftest.load_reference_data with the real app registry, so
    # each app's models_module is put back as it was.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
