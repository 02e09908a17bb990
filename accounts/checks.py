from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def development_shortcuts_off(app_configs, **kwargs):
    """Production must never run with the demo MFA skip or console email."""
    errors = []
    if not settings.DEBUG and settings.DEMO_MFA_SKIP:
        errors.append(Error("DEMO_MFA_SKIP is on while DEBUG is off.", id="portal.E001"))
    if not settings.DEBUG and settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        errors.append(Error("Console email is active while DEBUG is off.", id="portal.E002"))
    if settings.ADMIN_URL_PATH.strip("/") == "admin":
        errors.append(Error("The admin must not live at /admin/.", id="portal.E003"))
    return errors
