"""Doors to a representative's own records, and the guard other apps put on client work."""

from functools import wraps
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from accounts.models import User

from .models import Representative


def get_representative_for_user(request) -> Representative:
    """The signed-in representative's own profile, with its membership body and ID document.

    Anyone who is not a representative gets 404 (these pages do not exist for them). A
    representative who has never saved a profile gets an unsaved, `profile_incomplete` one; the
    row is created by representative_submit_profile, so a GET never writes.
    """
    user = request.user
    if not user.is_authenticated or user.role != User.Role.REPRESENTATIVE or user.is_staff:
        raise Http404
    representative = (
        Representative.objects.select_related("membership_body", "id_document")
        .filter(user=user)
        .first()
    )
    if representative is None:
        return Representative(user=user)
    user.representative = representative  # later `request.user.representative` costs nothing
    return representative


def get_id_document_for_user(request, public_id: UUID):
    """The identity document the signed-in representative has on file now; anything else is 404.

    Staff reach documents through the admin's own view, never through this door.
    """
    representative = get_representative_for_user(request)
    document = representative.id_document if representative.id_document_id else None
    if document is None or document.public_id != public_id:
        raise Http404
    return document


def representative_next_url(representative: Representative) -> str | None:
    """Where a representative goes to carry on: the profile form, the status page, or the
    dashboard once verified (None while there is no dashboard yet)."""
    if representative.status == Representative.Status.PROFILE_INCOMPLETE:
        return reverse("representatives:profile_edit")
    if not representative.is_verified:
        return reverse("representatives:status")
    try:
        return reverse("applications:dashboard")
    except NoReverseMatch:
        return None


def representative_required(view_func=None, *, verified: bool = True):
    """Guard a view for representatives; sets `request.representative`.

    - anonymous: redirect to sign-in (``login_required``);
    - signed in but not a representative (client, individual, staff): 404, as for any page
      that does not exist for them;
    - ``verified=True`` (client work: applications, clients, submission) and the representative
      is not verified: redirect (302) to the profile form when the profile is incomplete,
      otherwise to the status page that explains why they wait (pending, rejected, suspended).
      Nothing is written, whatever the method;
    - ``verified=False`` (the profile and status pages): any representative passes; note that
      `request.representative` may then be unsaved (no profile yet).

    Use as ``@representative_required`` or ``@representative_required(verified=False)``, below
    ``@require_http_methods``.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            representative = get_representative_for_user(request)
            if verified and not representative.is_verified:
                return redirect(representative_next_url(representative))
            request.representative = representative
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    if view_func is not None:
        return decorator(view_func)
    return decorator
