from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from .errors import DomainError
from .models import User


class SecurityHeadersMiddleware:
    """Send ``Cache-Control: no-store`` with every signed-in response (Protected B)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class PreferredLanguageMiddleware:
    """Remember the language a signed-in person last chose, for emails and the next sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = get_language()
        if (
            user is not None
            and user.is_authenticated
            and language in dict(settings.LANGUAGES)
            and user.preferred_language != language
        ):
            User.objects.filter(pk=user.pk).update(preferred_language=language)
        return response


class DomainErrorMiddleware:
    """Render a DomainError with its own status and template, so views never catch them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            return render(
                request, exception.template, {"message": exception.message}, status=exception.status
            )
        return None
