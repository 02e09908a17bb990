"""Program intake management (issue 8, item 4): open, pause or close a program and set its cap.

``program_intake_change`` is the only writer of ``ProgramIntake.state`` and ``cap`` after the
catalogue is loaded. It checks the actor's ``manage_intake`` permission, locks the intake row
(the same row submission locks to count the cap), checks the move against
``INTAKE_TRANSITIONS``, writes one ``IntakeChange`` row and an audit row, and, when the program
stops taking applications, queues one warning email per representative who has a draft in it
(not one per draft).

What a paused or closed program does elsewhere: no new application can be started in it
(``services._ensure_program_open``), the submit gate lists it as unmet
(``submission.submission_gate``), and submission checks it again under the intake lock
(``submission.application_submit``). Drafts stay readable and editable and can be exported
as a PDF (``package.draft_render``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, WrongState
from accounts.services import audit_record, email_send

from .models import Application, IntakeChange, Program, ProgramIntake
from .preparer import preparer_email_send

State = ProgramIntake.State
PERMISSION = "applications.manage_intake"
# The states in which a program takes no new applications and drafts are warned.
STOPPED = frozenset({State.PAUSED, State.CLOSED})
# The only definition of the allowed intake moves (a cap change keeps the state).
INTAKE_TRANSITIONS: dict[str, frozenset[str]] = {
    State.OPEN: frozenset({State.PAUSED, State.CLOSED, State.INVITATION_ONLY}),
    State.INVITATION_ONLY: frozenset({State.OPEN, State.PAUSED, State.CLOSED}),
    State.PAUSED: frozenset({State.OPEN, State.INVITATION_ONLY, State.CLOSED}),
    State.CLOSED: frozenset({State.OPEN, State.INVITATION_ONLY}),
}


class CapBelowUsed(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("The cap cannot be lower than the applications already counted.")


class NothingToChange(WrongState):
    default_message = _("The intake already has this state and cap.")


def intake_move_allowed(current: str, new: str) -> bool:
    return new == current or new in INTAKE_TRANSITIONS[current]


def _drafts(program_id: int):
    """Applications of the program the representative is still preparing."""
    return Application.objects.filter(program_id=program_id, status__in=Application.EDITABLE)


def drafts_count(program_id: int) -> int:
    return _drafts(program_id).count()


def drafts_by_representative(program_id: int) -> list[tuple]:
    """(preparer key, user email, name, language, number of drafts), one query per kind: each
    representative, and each self-represented individual (issue 10) with their own drafts."""
    represented = (
        _drafts(program_id)
        .filter(representative__isnull=False)
        .values_list(
            "representative_id",
            "representative__user__email",
            "representative__full_name",
            "representative__user__preferred_language",
        )
        .annotate(drafts=Count("id"))
        .order_by("representative_id")
    )
    individuals = (
        _drafts(program_id)
        .filter(representative__isnull=True)
        .values_list(
            "client_id",
            "client__user__email",
            "client__user__email",
            "client__user__preferred_language",
        )
        .annotate(drafts=Count("id"))
        .order_by("client_id")
    )
    return list(represented) + [(f"client-{row[0]}", *row[1:]) for row in individuals]


def _warn_representatives(change: IntakeChange, program: Program) -> int:
    rows = drafts_by_representative(program.pk)
    for representative_id, email, name, language, drafts in rows:
        email_send(
            to=email,
            template="intake_stopped",
            context={
                "name": name,
                "state": change.new_state,
                "drafts": drafts,
                "program_name_en": program.name_en,
                "program_name_fr": program.name_fr,
            },
            # One email per representative and change, whatever the number of drafts.
            key=f"intake-stopped:{change.pk}:{representative_id}",
            language=language or None,
        )
    # Individuals preparing their own application (issue 10) are warned the same way, once.
    individuals = (
        _drafts(program.pk)
        .filter(representative__isnull=True)
        .select_related("client__user", "principal_applicant")
        .order_by("client_id", "pk")
    )
    warned = set()
    for application in individuals:
        if application.client_id in warned:
            continue
        warned.add(application.client_id)
        preparer_email_send(
            application,
            template="intake_stopped",
            context={
                "state": change.new_state,
                "drafts": 1,
                "program_name_en": program.name_en,
                "program_name_fr": program.name_fr,
            },
            key=f"intake-stopped:{change.pk}:client-{application.client_id}",
        )
    return len(rows) + len(warned)


@transaction.atomic
def program_intake_change(
    *, program: Program, state: str, cap: int | None, actor, ip: str | None = None
) -> IntakeChange:
    """Set the intake ``state`` and ``cap`` of ``program``; warn representatives with drafts
    when the program stops taking applications (open or by invitation -> paused or closed,
    and paused -> closed)."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(PERMISSION)):
        raise PermissionDenied
    if state not in State.values:
        raise WrongState()
    intake = ProgramIntake.objects.select_for_update().get(program_id=program.pk)
    old_state, old_cap = intake.state, intake.cap
    if not intake_move_allowed(old_state, state):
        raise WrongState()
    if state == old_state and cap == old_cap:
        raise NothingToChange()
    if cap is not None and cap < intake.used:
        raise CapBelowUsed()
    ProgramIntake.objects.filter(pk=intake.pk).update(
        state=state, cap=cap, updated_at=timezone.now()
    )
    change = IntakeChange.objects.create(
        program=program,
        actor=actor,
        old_state=old_state,
        new_state=state,
        old_cap=old_cap,
        new_cap=cap,
    )
    if state in STOPPED and state != old_state:
        change.representatives_warned = _warn_representatives(change, program)
        change.save(update_fields=["representatives_warned"])
    audit_record(
        actor=actor,
        action="program.intake_changed",
        obj=program,
        reason=f"{old_state}->{state}",
        ip=ip,
    )
    return change


# --- what representatives see -------------------------------------------------------------------


def with_stopped_drafts(programs, representative_id: int):
    """Annotate programs with ``intake_state`` and ``drafts``: how many drafts the
    representative has in each paused or closed program (0 for the others). The dashboard
    already lists the programs for its filter, so the banner costs no query of its own; the
    count runs only for stopped programs and walks the representative's index."""
    drafts = (
        Application.objects.filter(
            program=OuterRef("pk"),
            representative_id=representative_id,
            status__in=Application.EDITABLE,
        )
        .order_by()
        .values("program")
        .annotate(count=Count("id"))
        .values("count")
    )
    return programs.annotate(
        intake_state=F("intake__state"),
        drafts=Case(
            When(intake__state__in=STOPPED, then=Coalesce(Subquery(drafts), 0)),
            default=Value(0),
        ),
    )


def stopped_programs(programs) -> list[Program]:
    """The programs of ``with_stopped_drafts`` that stopped while the representative has
    drafts in them (the dashboard banner)."""
    return [program for program in programs if program.drafts]


def is_stopped(application: Application) -> bool:
    """Whether ``application`` is a draft in a paused or closed program (the banner on its
    pages). The door already fetched the program's intake."""
    intake = getattr(application.program, "intake", None)
    return application.is_editable and intake is not None and intake.state in STOPPED


# --- the admin list -----------------------------------------------------------------------------

# Applications that were submitted and still count as received (a return for other reasons,
# such as the cap, does not).
SUBMITTED_STATUSES = frozenset(
    {
        Application.Status.SUBMITTED,
        Application.Status.COMPLETENESS_CHECK,
        Application.Status.RETURNED_INCOMPLETE,
        Application.Status.ACCEPTED,
        Application.Status.IN_PROCESS,
        Application.Status.APPROVED,
        Application.Status.REFUSED,
        Application.Status.WITHDRAWN,
    }
)


def with_intake_counts(programs):
    """Annotate each program with ``submitted_count`` and ``draft_count`` in the same query
    (one join to applications, two conditional counts)."""
    return programs.annotate(
        submitted_count=Count(
            "applications", filter=Q(applications__status__in=SUBMITTED_STATUSES)
        ),
        draft_count=Count("applications", filter=Q(applications__status__in=Application.EDITABLE)),
    )
