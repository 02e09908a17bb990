"""The doors: the only way a view reaches an application or a profile (QUALITY.md §3)."""

import logging
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.errors import WrongState
from accounts.models import User
from representatives.access import representative_required

from .models import Application, Document, Person, PRConfirmation

logger = logging.getLogger(__name__)


def preparer_required(view):
    """Guard a page where an application is prepared (profiles, forms, documents, signing
    requests, declaration, submission): a verified representative (``representative_required``)
    or a client, who then reaches only the applications they prepare themselves (a
    self-represented individual; see ``get_application_for_user``). Everyone else: 404.

    Sets ``request.preparing``, so the door 404s an application the user sees but does not
    prepare (a client's application prepared by their representative, or an individual's
    application after they appointed one).
    """
    as_representative = representative_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.preparing = True
        user = request.user
        if user.is_authenticated and user.role == User.Role.CLIENT and not user.is_staff:
            request.representative = None
            return view(request, *args, **kwargs)
        return as_representative(request, *args, **kwargs)

    return wrapper


def get_application_for_user(
    request, public_id, *, write: bool = False, lock: bool = False
) -> Application:
    """The application ``public_id`` if ``request.user`` may see it, else 404.

    Visible but not writable (a client asking to change it) gives 403; visible but not prepared
    by the user on a preparer page (``preparer_required``) gives 404. Fetches the program, its
    intake, the client with their user and the PA profile in the same query (the details page
    shows them all). ``lock=True`` takes a row lock; the caller must be inside a transaction.
    """
    queryset = Application.objects.visible_to(request.user).select_related(
        "program__intake", "client__user", "principal_applicant", "representative"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        application = queryset.get(public_id=public_id)
    except Application.DoesNotExist:
        logger.info("application not visible", extra={"route": "applications"})
        raise Http404 from None
    is_preparer = application.preparer_user_id == request.user.pk
    if not is_preparer and getattr(request, "preparing", False):
        raise Http404
    if write and not is_preparer:
        raise PermissionDenied
    return application


def get_person_for_application(application: Application, person_id) -> Person:
    """A profile of ``application`` (already fetched through its door), else 404."""
    try:
        person = application.people.get(public_id=person_id)
    except Person.DoesNotExist:
        raise Http404 from None
    person.application = application
    return person


def get_document_for_application(application: Application, document_id) -> Document:
    """A document of ``application`` (already fetched through its door), else 404.

    Fetches the stored file (and the translation) in the same query.
    """
    try:
        document = Document.objects.select_related("file", "translation_file").get(
            application_id=application.pk, public_id=document_id
        )
    except Document.DoesNotExist:
        raise Http404 from None
    document.application = application
    return document


def ensure_editable(application: Application) -> None:
    """Profiles and details change only while the file is being prepared."""
    if not application.is_editable:
        raise WrongState()


def get_pr_confirmation_for_application(application: Application, person_id) -> PRConfirmation:
    """The PR confirmation of one person of ``application`` (already fetched through its
    door), else 404. Fetches the person and the eCOPR file in the same query."""
    try:
        confirmation = PRConfirmation.objects.select_related("person", "ecopr").get(
            application_id=application.pk, person__public_id=person_id
        )
    except PRConfirmation.DoesNotExist:
        raise Http404 from None
    confirmation.application = application
    return confirmation
