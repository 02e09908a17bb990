"""A self-represented applicant appoints a representative, and may revoke them (issue 10).

Appointing points ``Application.representative`` at a verified representative: from then on
they prepare the application (the preparer door lets them in, and the IMM 5476 slot appears
in its checklist), while the applicant keeps read and sign access through the client pages.
Revoking makes the application self-represented again: the representative's pages are 404.
Each is a ``RepresentativeAppointment`` row and a history row.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import WrongState
from accounts.services import audit_record
from representatives.models import Representative

from .models import Application, ApplicationEvent, RepresentativeAppointment
from .services import _event, _lock, application_progress_refresh
from .signatures import signatures_refresh


def representative_find(identifier: str) -> Representative | None:
    """The verified representative whose portal email or membership ID is ``identifier``."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return (
        Representative.objects.select_related("user")
        .filter(status=Representative.Status.VERIFIED)
        .filter(Q(user__email__iexact=identifier) | Q(membership_id__iexact=identifier))
        .first()
    )


def current_appointment(application: Application) -> RepresentativeAppointment | None:
    return (
        application.appointments.filter(revoked_at__isnull=True)
        .select_related("representative")
        .first()
    )


def _ensure_applicant(application: Application, actor) -> None:
    if application.client.user_id != actor.pk or application.is_final:
        raise WrongState()


def _after_change(application: Application, *, actor) -> None:
    # Whoever now prepares it declares anew (a declaration already made is cleared), and the
    # checklist gains or loses the IMM 5476 slot.
    signatures_refresh(application, actor=actor)
    application_progress_refresh(application)


@transaction.atomic
def representative_appoint(
    *, application: Application, representative: Representative, actor, ip: str | None = None
) -> RepresentativeAppointment:
    application = _lock(application)
    _ensure_applicant(application, actor)
    if not application.is_self_represented or not representative.is_verified:
        raise WrongState()
    now = timezone.now()
    appointment = RepresentativeAppointment.objects.create(
        application=application, representative=representative, appointed_by=actor,
        appointed_at=now,
    )  # fmt: skip
    application.representative = representative
    Application.objects.filter(pk=application.pk).update(representative=representative)
    _event(application, ApplicationEvent.Action.REPRESENTATIVE_APPOINTED, actor=actor, at=now)
    _after_change(application, actor=actor)
    audit_record(actor=actor, action="representative.appointed", obj=application, ip=ip)
    return appointment


@transaction.atomic
def representative_revoke(
    *, application: Application, actor, ip: str | None = None
) -> RepresentativeAppointment:
    application = _lock(application)
    _ensure_applicant(application, actor)
    appointment = current_appointment(application)
    if appointment is None:
        raise WrongState()
    now = timezone.now()
    appointment.revoked_at, appointment.revoked_by = now, actor
    appointment.save(update_fields=["revoked_at", "revoked_by"])
    application.representative = None
    Application.objects.filter(pk=application.pk).update(representative=None)
    _event(application, ApplicationEvent.Action.REPRESENTATIVE_REVOKED, actor=actor, at=now)
    _after_change(application, actor=actor)
    audit_record(actor=actor, action="representative.revoked", obj=application, ip=ip)
    return appointment
