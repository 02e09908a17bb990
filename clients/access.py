"""Doors to the client's own records (QUALITY.md §3)."""

from django.http import Http404

from .models import Client, CorrectionRequest


def get_client_for_user(request) -> Client:
    """The signed-in client's own invitation row, else 404."""
    try:
        return Client.objects.select_related("user").get(user_id=request.user.pk)
    except Client.DoesNotExist:
        raise Http404 from None


def get_correction_for_application(application, correction_id) -> CorrectionRequest:
    """A correction request of ``application`` (already fetched through its door), else 404."""
    try:
        correction = CorrectionRequest.objects.get(
            application_id=application.pk, public_id=correction_id
        )
    except CorrectionRequest.DoesNotExist:
        raise Http404 from None
    correction.application = application
    return correction
