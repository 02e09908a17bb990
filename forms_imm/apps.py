from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsImmConfig(AppConfig):
    name = "forms_imm"
    verbose_name = _("Digital forms")
