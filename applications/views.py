"""Representative pages for client applications. Each view: door, guard, form, service, redirect."""

import uuid

from django.contrib import messages
from django.db.models import Q, Subquery
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import WrongState
from accounts.services import audit_record
from clients.services import resend_retry_at

from . import package, services, staff
from .access import (
    ensure_editable,
    get_application_for_user,
    get_person_for_application,
    preparer_required,
    representative_required,
)
from .after_submission import after_submission_context
from .forms import (
    ApplicationCopyForm,
    ApplicationCreateForm,
    ClientEmailForm,
    DashboardForm,
    PersonForm,
    ProgramDetailsForm,
    nearly_full,
    open_programs,
)
from .intake import is_stopped, stopped_programs, with_stopped_drafts
from .models import Application, DraftExport, Person, Program
from .pr_confirmation import confirmations_for
from .signatures import required_signatures
from .submission import application_reopen
from .tasks_list import application_task_list, progress
from .uploads import stored_file_response

PAGE_SIZE = 25
# sort option -> (ordering key, descending)
SORT_KEYS = {
    "-updated": ("updated_at", True),
    "updated": ("updated_at", False),
    "client": ("principal_applicant__family_name", False),
    "-client": ("principal_applicant__family_name", True),
    "status": ("status", False),
    "-created": ("created_at", True),
}


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _search(rows, query: str):
    for term in query.split()[:5]:
        rows = rows.filter(
            Q(principal_applicant__family_name__icontains=term)
            | Q(principal_applicant__given_names__icontains=term)
            | Q(client__user__email__icontains=term)
            | Q(application_number__iexact=term)
        )
    return rows


def _uuid_or_none(value):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _keyset_page(rows, *, user, key: str, descending: bool, after, before):
    """One page ordered by (key, public_id). The cursor is a row's public_id; its sort value is
    read in a subquery, so the URL carries no personal data and no database id."""
    cursor = after or before
    forward = before is None
    if cursor is not None:
        value = Subquery(
            Application.objects.visible_to(user).filter(public_id=cursor).values(key)[:1]
        )
        going_down = descending == forward
        op = "lt" if going_down else "gt"
        # The first condition is redundant but lets PostgreSQL start the index scan at the cursor.
        rows = rows.filter(Q(**{f"{key}__{op}e": value})).filter(
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"public_id__{op}": cursor})
        )
    reverse_order = descending != (not forward)
    prefix = "-" if reverse_order else ""
    rows = list(rows.order_by(f"{prefix}{key}", f"{prefix}public_id")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if not forward:
        rows.reverse()
        return rows, more, True  # rows, has_previous, has_next
    return rows, cursor is not None, more


def _page_url(params: QueryDict, **cursor) -> str:
    query = params.copy()
    query.pop("after", None)
    query.pop("before", None)
    for name, value in cursor.items():
        query[name] = str(value)
    return "?" + query.urlencode()


@require_safe
@representative_required
def dashboard(request):
    """The representative's own applications: search, filter, sort, keyset pages."""
    programs = list(
        with_stopped_drafts(
            Program.objects.only("code", "name_en", "name_fr", "order"),
            request.user.representative.pk,
        )
    )
    form = DashboardForm(request.GET or None, programs=programs)
    rows = Application.objects.for_dashboard(request.user)
    sort = "-updated"
    if form.is_valid():
        if form.cleaned_data["q"]:
            rows = _search(rows, form.cleaned_data["q"])
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["program"]:
            rows = rows.filter(program__code=form.cleaned_data["program"])
        sort = form.cleaned_data["sort"] or sort
    key, descending = SORT_KEYS[sort]
    page, has_previous, has_next = _keyset_page(
        rows,
        user=request.user,
        key=key,
        descending=descending,
        after=_uuid_or_none(request.GET.get("after")),
        before=_uuid_or_none(request.GET.get("before")),
    )
    returns = staff.latest_returns(page)
    for application in page:
        application.staff_return = returns.get(application.pk)
    context = {
        "form": form,
        "applications": page,
        "stopped_programs": stopped_programs(programs),
        "total": rows.count(),
        "previous_url": _page_url(request.GET, before=page[0].public_id)
        if has_previous and page
        else None,
        "next_url": _page_url(request.GET, after=page[-1].public_id) if has_next and page else None,
        "filtered": bool(
            request.GET.get("q") or request.GET.get("status") or request.GET.get("program")
        ),
    }
    return render(request, "applications/application_dashboard.html", context)


@require_http_methods(["GET", "POST"])
@representative_required
def create(request):
    representative = request.user.representative
    programs = open_programs()
    form = ApplicationCreateForm(
        request.POST or None, representative=representative, programs=programs
    )
    if request.method == "POST" and form.is_valid():
        application = services.application_create(
            representative=representative,
            family_name=form.cleaned_data["family_name"],
            given_names=form.cleaned_data["given_names"],
            email=form.cleaned_data["email"],
            program=form.cleaned_data["program"],
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(request, _("Application created. The client has been emailed."))
        return redirect("applications:detail", public_id=application.public_id)
    return render(
        request,
        "applications/application_create.html",
        {"form": form, "nearly_full": nearly_full(programs)},
    )


@require_safe
@preparer_required
def detail(request, public_id):
    application = get_application_for_user(request, public_id)
    people = list(application.people.order_by("created_at", "id"))
    tasks = application_task_list(application, people=people)
    done, total = progress(tasks)
    client = application.client
    signatures = required_signatures(application, people=people)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "client": client,
            "people": people,
            "tasks": tasks,
            "done": done,
            "total": total,
            "resend_retry_at": None if client.activated_at else resend_retry_at(client),
            "corrections": list(
                application.correction_requests.filter(status="open").select_related("person")
            ),
            "signatures": signatures,
            "staff_return": staff.latest_return(application),
            **after_submission_context(application),
            "can_withdraw": staff.can_withdraw(application),
            "program_stopped": is_stopped(application),
            "pr_confirmations": confirmations_for(application),
        },
    )


def _latest_export(application) -> DraftExport | None:
    return (
        DraftExport.objects.filter(application=application)
        .select_related("file")
        .order_by("-requested_at", "-id")
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
@representative_required
def draft_pdf(request, public_id):
    """The draft as a PDF: a POST queues it on the pdf queue (never rendered in a web
    worker), the page shows whether it is ready and links to the file."""
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    if request.method == "POST":
        package.draft_export_request(
            application=application, actor=request.user, language=get_language() or "en"
        )
        return redirect("applications:draft_pdf", public_id=application.public_id)
    return render(
        request,
        "applications/draft_pdf.html",
        {"application": application, "export": _latest_export(application)},
    )


@require_safe
@representative_required
def draft_pdf_download(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    export = _latest_export(application)
    if export is None or export.file is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="application.draft_downloaded",
        obj=application,
        ip=_client_ip(request),
    )
    return stored_file_response(
        export.file, download_name=export.file.display_name, request=request
    )


@require_POST
@preparer_required
def withdraw(request, public_id):
    """The representative withdraws the application before a decision (applications.staff)."""
    application = get_application_for_user(request, public_id, write=True)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the withdrawal."))
        return redirect("applications:detail", public_id=application.public_id)
    staff.application_withdraw(application=application, actor=request.user, ip=_client_ip(request))
    messages.success(request, _("The application was withdrawn. The client has been emailed."))
    return redirect("applications:detail", public_id=application.public_id)


@require_safe
@preparer_required
def history(request, public_id):
    application = get_application_for_user(request, public_id)
    events = list(application.events.select_related("actor").order_by("-at", "-id")[:500])
    names = {
        public_id: " ".join(filter(None, (given, family)))
        for public_id, family, given in application.people.values_list(
            "public_id", "family_name", "given_names"
        )
    }
    documents = {item.code: item.name for item in application.program.checklist.all()}
    for event in events:
        event.person_name = names.get(event.person_public_id, "") if event.person_public_id else ""
        event.document_name = (
            documents.get(event.reason, "") if event.action.startswith("document.") else ""
        )
    return render(
        request,
        "applications/application_history.html",
        {"application": application, "events": events},
    )


@require_POST
@representative_required
def client_resend(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    services.application_client_password_resend(
        application=application, actor=request.user, ip=_client_ip(request)
    )
    messages.success(
        request,
        _("A new temporary password was emailed to the client. The previous one no longer works."),
    )
    return redirect("applications:detail", public_id=public_id)


@require_http_methods(["GET", "POST"])
@representative_required
def client_email(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    if application.client.activated_at is not None:
        raise WrongState(
            _(
                "The client has activated their account: "
                "their email can no longer be corrected here."
            )
        )
    form = ClientEmailForm(request.POST or None, client=application.client)
    if request.method == "POST" and form.is_valid():
        services.application_client_email_correct(
            application=application,
            email=form.cleaned_data["email"],
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(request, _("Email corrected. The invitation was sent to the new address."))
        return redirect("applications:detail", public_id=public_id)
    return render(
        request, "applications/client_email.html", {"application": application, "form": form}
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def person_add(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    if not application.program.allows_dependants:
        raise WrongState(_("This program does not take family members."))
    form = PersonForm(
        request.POST or None,
        role=Person.Role.DEPENDENT_CHILD,
        application=application,
        initial={"expected_version": 1},
    )
    if request.method == "POST" and form.is_valid():
        person = services.person_add(
            application=application, values=form.profile_values(), actor=request.user
        )
        messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
        return redirect("applications:detail", public_id=public_id)
    return render(
        request,
        "applications/person_form.html",
        {"application": application, "form": form, "person": None},
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def person_edit(request, public_id, person_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    person = get_person_for_application(application, person_id)
    form = PersonForm(
        request.POST or None, instance=person, role=person.role, application=application
    )
    if request.method == "POST" and form.is_valid():
        services.person_update(
            person=person,
            changes=form.profile_values(),
            expected_version=form.cleaned_data["expected_version"],
            actor=request.user,
        )
        messages.success(request, _("Profile saved."))
        return redirect("applications:detail", public_id=public_id)
    return render(
        request,
        "applications/person_form.html",
        {"application": application, "form": form, "person": person},
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def person_remove(request, public_id, person_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    person = get_person_for_application(application, person_id)
    if person.is_principal:
        raise WrongState(_("The principal applicant's profile cannot be removed."))
    if request.method == "POST":
        services.person_remove(person=person, actor=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": person.full_name})
        return redirect("applications:detail", public_id=public_id)
    return render(
        request, "applications/person_remove.html", {"application": application, "person": person}
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def program_details(request, public_id):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    program = application.program
    if request.method == "POST":
        form = ProgramDetailsForm(request.POST, program=program)
        if form.is_valid():
            services.application_program_details_save(
                application=application,
                values=form.details(),
                expected_version=form.cleaned_data["expected_version"],
                actor=request.user,
            )
            messages.success(request, _("Program details saved."))
            return redirect("applications:program_details", public_id=public_id)
    else:
        initial = ProgramDetailsForm.initial_from(application.program_details, program)
        form = ProgramDetailsForm(
            initial={**initial, "expected_version": application.version}, program=program
        )
    tasks = [
        t
        for t in application_task_list(application, with_consistency=False)
        if t.kind in ("details", "check")
    ]
    return render(
        request,
        "applications/program_details.html",
        {"application": application, "form": form, "tasks": tasks},
    )


@require_http_methods(["GET", "POST"])
@representative_required
def copy(request, public_id):
    source = get_application_for_user(request, public_id, write=True)
    programs = open_programs()
    form = ApplicationCopyForm(
        request.POST or None,
        programs=programs,
        source=source,
        initial={"program": source.program_id},
    )
    if request.method == "POST" and form.is_valid():
        application = services.application_copy(
            source=source,
            program=form.cleaned_data["program"],
            actor=request.user,
            ip=_client_ip(request),
        )
        messages.success(request, _("New application started with copies of the profiles."))
        return redirect("applications:detail", public_id=application.public_id)
    return render(
        request,
        "applications/application_copy.html",
        {"application": source, "form": form, "nearly_full": nearly_full(programs)},
    )


@require_POST
@preparer_required
def reopen(request, public_id):
    """Reopen an application returned as incomplete, to complete it and resubmit it."""
    application = get_application_for_user(request, public_id, write=True)
    application_reopen(application=application, actor=request.user)
    messages.success(
        request,
        _(
            "The application is open again. Complete what the return asks for, then sign and "
            "submit it again."
        ),
    )
    return redirect("applications:detail", public_id=application.public_id)
