from django.conf import settings
from django.urls import translate_url


def portal(request):
    """The language toggle's target, the development banner and the session-timeout timings."""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    other = "fr" if current == "en" else "en"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
        "demo_mode": settings.DEBUG,
        # Set by accounts.middleware for signed-in requests (None otherwise).
        "session_expires_in": getattr(request, "session_expires_in", None),
        "session_idle_seconds": settings.SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "demo_mfa_skipped": getattr(request, "demo_mfa_skipped", False),
    }
