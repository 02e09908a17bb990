from django.http import Http404

from .models import SupportRequest


def get_support_request_for_user(request, public_id, *, lock: bool = False) -> SupportRequest:
    """The signed-in person's own request; anyone else's, or a missing one, is a 404.

    Fetches the program with the request (the detail page shows its name).
    """
    queryset = SupportRequest.objects.visible_to(request.user).select_related("program")
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(public_id=public_id)
    except SupportRequest.DoesNotExist:
        raise Http404 from None
