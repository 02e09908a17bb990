from django.conf import settings
from django.urls import translate_url


def portal(request):
    """The language toggle's target, and the development banner."""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    other = "fr" if current == "en" else "en"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
        "demo_mode": settings.DEBUG,
    }
