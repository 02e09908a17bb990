from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import (
            auth_audit,
            checks,  # noqa: F401  (registers the deploy checks)
        )

        auth_audit.connect()
