"""The processing timeline the representative and the client see on their application pages:
status changes, staff decisions with their reasons and note, document requests and their
answers, and changes of circumstances, newest first.

Staff are always "IRCC staff" (never a name or an email), and nothing internal is shown: the
history rows hold codes only, and the only staff text is the note staff write for the
representative and the client (``StaffDecision.note``). At most four queries, whatever the length.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from .models import (
    Application,
    ApplicationEvent,
    CircumstanceChange,
    DocumentRequest,
    StaffDecision,
)

LIMIT = 200


@dataclass
class TimelineRow:
    at: datetime
    action: str  # a code for tests and styling
    label: str
    actor: str
    details: list[str] = field(default_factory=list)
    note: str = ""


def _actor_label(user, *, for_client: bool) -> str:
    if user is None:
        return str(_("The portal"))
    if user.is_staff:
        return str(_("IRCC staff"))
    if user.role == "client":
        return str(_("You") if for_client else _("The client"))
    return str(_("Your representative") if for_client else _("You"))


def processing_timeline(
    application: Application, *, for_client: bool, labels: dict | None = None
) -> list[TimelineRow]:
    """The timeline of ``application`` (reached through its door) for its representative, or
    for its client when ``for_client``. ``labels`` adds history rows of other actions, each
    with its label (the client page's own rows), read in the same query; a label may be a
    dict by the actor's role (``None``: anyone else).

    One query for a draft never submitted (staff rows exist only from submission on), four
    once it has an application number."""
    labels = labels or {}
    submitted = bool(application.application_number)
    rows: list[TimelineRow] = []
    decisions = {}
    if submitted:
        decisions = {
            (decision.kind, decision.decided_at): decision
            for decision in StaffDecision.objects.filter(application_id=application.pk).only(
                "kind", "reasons", "note", "decided_at"
            )
        }
    events = (
        ApplicationEvent.objects.filter(
            application_id=application.pk,
            action__in=[ApplicationEvent.Action.STATUS_CHANGED, *labels],
        )
        .select_related("actor")
        .only("action", "new_status", "at", "actor__is_staff", "actor__role")
        .order_by("-at", "-id")[:LIMIT]
    )
    for event in events:
        if event.action in labels:
            label = labels[event.action]
            if isinstance(label, dict):  # worded by who acted: {actor role or None: label}
                label = label.get(getattr(event.actor, "role", None), label[None])
            rows.append(TimelineRow(at=event.at, action=event.action, label=label, actor=""))
            continue
        if event.new_status not in Application.Status.values:
            continue
        row = TimelineRow(
            at=event.at,
            action=f"status:{event.new_status}",
            label=str(
                _("Status: %(status)s") % {"status": Application.Status(event.new_status).label}
            ),
            actor=_actor_label(event.actor, for_client=for_client),
        )
        decision = decisions.pop((event.new_status, event.at), None)
        if decision is not None:
            row.details = decision.reason_labels
            row.note = decision.note
        rows.append(row)
    if not submitted:
        return rows
    staff = str(_("IRCC staff"))
    for decision in decisions.values():  # a decision without its status row (data repaired)
        rows.append(
            TimelineRow(
                at=decision.decided_at,
                action=f"decision:{decision.kind}",
                label=str(decision.get_kind_display()),
                actor=staff,
                details=decision.reason_labels,
                note=decision.note,
            )
        )
    requests = DocumentRequest.objects.filter(application_id=application.pk).only(
        "name", "due_on", "requested_at", "fulfilled_at"
    )
    representative = str(_("Your representative") if for_client else _("You"))
    for request in requests:
        rows.append(
            TimelineRow(
                at=request.requested_at,
                action="request:opened",
                label=str(
                    _("Document requested: %(name)s, due on %(due)s")
                    % {"name": request.name, "due": request.due_on.isoformat()}
                ),
                actor=staff,
            )
        )
        if request.fulfilled_at:
            rows.append(
                TimelineRow(
                    at=request.fulfilled_at,
                    action="request:fulfilled",
                    label=str(_("Requested document sent: %(name)s") % {"name": request.name}),
                    actor=representative,
                )
            )
    changes = CircumstanceChange.objects.filter(application_id=application.pk).only(
        "kind", "note", "reported_at"
    )
    for change in changes:
        rows.append(
            TimelineRow(
                at=change.reported_at,
                action="circumstances:reported",
                label=str(
                    _("Change of circumstances reported: %(kind)s")
                    % {"kind": change.get_kind_display()}
                ),
                actor=representative,
                note=change.note,
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:LIMIT]
