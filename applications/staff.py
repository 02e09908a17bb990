"""Staff processing (issue 8): every staff action on a submitted application, as a service.

Each action names the status it moves to; ``Application.TRANSITIONS`` alone says from where
(``services._transition`` enforces it under the row lock). Each checks the actor's permission
(the roles are groups, see docs/staff.md), writes one history row with codes only (the note
the client can see goes on ``StaffDecision``), and emails the representative and the client
through the outbox in the same transaction.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, WrongState
from accounts.services import audit_record, email_send
from clients import services as client_services

from .models import (
    INCOMPLETE_REASONS,
    OTHER_RETURN_REASONS,
    REFUSAL_REASONS,
    Application,
    ApplicationEvent,
    DocumentRequest,
    StaffDecision,
)
from .pr_confirmation import pr_confirmations_open
from .preparer import preparer_email_send
from .services import _event, _lock, _transition

Status = Application.Status


class ReasonsInvalid(DomainError):
    default_message = _("Pick at least one reason from the list.")


@dataclass(frozen=True)
class StaffAction:
    """One staff action: the status it moves to and the permission it needs."""

    code: str
    label: str
    to: str
    permission: str
    reasons: tuple = ()  # the allowed reason codes; empty: no reasons asked
    decision: str = ""  # the StaffDecision kind it records, if any


ACTIONS: dict[str, StaffAction] = {
    action.code: action
    for action in (
        StaffAction(
            "check_start",
            _("Start the completeness check"),
            Status.COMPLETENESS_CHECK,
            "applications.accept_application",
        ),
        StaffAction(
            "return_incomplete",
            _("Return as incomplete"),
            Status.RETURNED_INCOMPLETE,
            "applications.return_application",
            INCOMPLETE_REASONS,
            StaffDecision.Kind.RETURNED_INCOMPLETE,
        ),
        StaffAction(
            "return_other",
            _("Return for other reasons"),
            Status.RETURNED_OTHER,
            "applications.return_application",
            OTHER_RETURN_REASONS,
            StaffDecision.Kind.RETURNED_OTHER,
        ),
        StaffAction(
            "accept",
            _("Accept into processing"),
            Status.ACCEPTED,
            "applications.accept_application",
            decision=StaffDecision.Kind.ACCEPTED,
        ),
        StaffAction(
            "process_start",
            _("Start processing"),
            Status.IN_PROCESS,
            "applications.accept_application",
        ),
        StaffAction(
            "approve",
            _("Approve"),
            Status.APPROVED,
            "applications.decide_application",
            decision=StaffDecision.Kind.APPROVED,
        ),
        StaffAction(
            "refuse",
            _("Refuse"),
            Status.REFUSED,
            "applications.decide_application",
            REFUSAL_REASONS,
            StaffDecision.Kind.REFUSED,
        ),
    )
}
# The statuses in which staff hold the application (before that it is the representative's:
# the table's rep_declared -> returned_other move is the intake cap at submission, not staff).
STAFF_STATUSES = frozenset(
    {Status.SUBMITTED, Status.COMPLETENESS_CHECK, Status.ACCEPTED, Status.IN_PROCESS}
)
# What the staff queue lists: everything from submission on (before that, it is a draft).
QUEUE_STATUSES = frozenset(Status) - {
    Status.DRAFT,
    Status.AWAITING_CLIENT_SIGNATURE,
    Status.CLIENT_SIGNED,
    Status.REP_DECLARED,
    Status.EXPIRED,
}
# Additional documents may be asked for once the check started, before a decision.
DOCUMENT_REQUEST_STATUSES = STAFF_STATUSES - {Status.SUBMITTED}


def action_allowed(application: Application, code: str) -> bool:
    """Whether the transition table lets ``code`` run on ``application`` now."""
    status = application.status
    return status in STAFF_STATUSES and ACTIONS[code].to in Application.TRANSITIONS[status]


def actions_for(application: Application, user) -> list[StaffAction]:
    """The actions ``user`` may take on ``application`` in its current state."""
    return [
        action
        for action in ACTIONS.values()
        if user.has_perm(action.permission) and action_allowed(application, action.code)
    ]


def _ensure_permission(actor, permission: str) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(permission)):
        raise PermissionDenied


def _notify(application: Application, *, kind: str, key: str) -> None:
    """Email the representative and the client that something happened (no details: the
    reasons and the note are read in the portal)."""
    context = {"application_number": application.application_number or "", "kind": kind}
    preparer_email_send(
        application,
        template="staff_update",
        context=context,
        key=f"{key}:representative",
        client_has_copy=True,
    )
    client = application.client
    email_send(
        to=client.user.email,
        template="staff_update",
        context={**context, "name": application.client_name},
        key=f"{key}:client",
        language=client_services.client_language(client),
    )


@transaction.atomic
def staff_action(
    *,
    application: Application,
    code: str,
    actor,
    reasons: list[str] | tuple = (),
    items: list[str] | tuple = (),
    note: str = "",
    ip: str | None = None,
) -> Application:
    """Run the staff action ``code`` (a key of ``ACTIONS``) on ``application``."""
    action = ACTIONS[code]
    _ensure_permission(actor, action.permission)
    reasons = list(dict.fromkeys(reasons))
    if action.reasons and (not reasons or any(r not in action.reasons for r in reasons)):
        raise ReasonsInvalid()
    if not action.reasons and reasons:
        raise ReasonsInvalid()
    application = _lock(application)
    if not action_allowed(application, code):
        raise WrongState()
    known_items = set(application.program.checklist.values_list("code", flat=True))
    if any(item not in known_items for item in items):
        raise ReasonsInvalid(_("Pick checklist items of this application only."))
    _transition(application, to=action.to, actor=actor, reason=",".join(reasons)[:50] or code)
    if action.decision:
        decision = StaffDecision.objects.create(
            application=application,
            kind=action.decision,
            reasons=reasons,
            items=list(dict.fromkeys(items)),
            note=note.strip(),
            decided_by=actor,
            decided_at=application.status_changed_at,
        )
        _notify(application, kind=action.decision, key=f"staff-decision:{decision.pk}")
    if action.to == Status.APPROVED:
        # The client is invited to confirm PR status for each person (applications.pr_confirmation).
        pr_confirmations_open(application=application, actor=actor)
    audit_record(actor=actor, action=f"application.staff.{code}", obj=application, ip=ip)
    return application


@transaction.atomic
def staff_documents_request(
    *, application: Application, name: str, due_on: date, actor, ip: str | None = None
) -> DocumentRequest:
    """Open a named upload slot for the representative, due on ``due_on``."""
    _ensure_permission(actor, "applications.request_documents")
    name = name.strip()
    if not name:
        raise DomainError(_("Name the document you need."))
    if due_on <= timezone.localdate():
        raise DomainError(_("Give a due date after today."))
    application = _lock(application)
    if application.status not in DOCUMENT_REQUEST_STATUSES:
        raise WrongState()
    now = timezone.now()
    request = DocumentRequest.objects.create(
        application=application, name=name, due_on=due_on, requested_by=actor, requested_at=now
    )
    _event(
        application,
        ApplicationEvent.Action.DOCUMENTS_REQUESTED,
        actor=actor,
        at=now,
        reason="documents_requested",
    )
    Application.objects.filter(pk=application.pk).update(updated_at=now)
    _notify(application, kind="documents_requested", key=f"staff-request:{request.public_id}")
    audit_record(
        actor=actor, action="application.staff.documents_requested", obj=application, ip=ip
    )
    return request


@transaction.atomic
def application_withdraw(*, application: Application, actor, ip: str | None = None) -> Application:
    """The representative withdraws the application before a decision."""
    if application.preparer_user_id != actor.pk:
        raise PermissionDenied
    application = _lock(application)
    if application.representative_id and application.representative.status != "verified":
        raise PermissionDenied
    _transition(application, to=Status.WITHDRAWN, actor=actor, reason="withdrawn")
    _notify(application, kind="withdrawn", key=f"withdrawn:{application.public_id}")
    audit_record(actor=actor, action="application.withdrawn", obj=application, ip=ip)
    return application


def latest_returns(applications) -> dict[int, StaffDecision]:
    """For a page of applications: the return-as-incomplete decision of each one that is
    returned as incomplete now, in one query (none when no row is returned)."""
    ids = [a.pk for a in applications if a.status == Status.RETURNED_INCOMPLETE]
    if not ids:
        return {}
    decisions = StaffDecision.objects.filter(
        application_id__in=ids, kind=StaffDecision.Kind.RETURNED_INCOMPLETE
    ).order_by("application_id", "-decided_at", "-id")
    latest: dict[int, StaffDecision] = {}
    for decision in decisions:
        latest.setdefault(decision.application_id, decision)
    return latest


def can_withdraw(application: Application) -> bool:
    return Status.WITHDRAWN in Application.TRANSITIONS[application.status]


def latest_return(application: Application) -> StaffDecision | None:
    """The return-as-incomplete decision the representative must answer, while it applies."""
    if application.status != Status.RETURNED_INCOMPLETE:
        return None
    decision = application.staff_decisions.filter(
        kind=StaffDecision.Kind.RETURNED_INCOMPLETE
    ).first()
    if decision is not None and decision.items:
        # The checklist items concerned, by their names, in the checklist's order.
        items = application.program.checklist.filter(code__in=decision.items)
        decision.item_names = [item.name for item in items]
    return decision
