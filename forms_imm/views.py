"""Pages of the digital forms: the overview, one page per section, and the printable view.

Each view: door (get_application_for_user), guard (ensure_editable), person lookup scoped to
the application, bind the section's forms, one service, redirect (autosave gets 204).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from applications.access import ensure_editable, get_application_for_user, preparer_required
from applications.intake import is_stopped

from . import services
from .forms import stored_to_post
from .models import FormSection
from .sections import (
    SectionState,
    form_needed,
    get_form,
    get_section_or_404,
    section_rows,
    sections_for,
)
from .spec import SectionContext

ROW_ACTIONS = ("add", "remove", "up", "down")


def _people(application) -> list:
    return list(application.people.order_by("created_at", "id"))


def _person_or_404(people, person_id):
    """The profile ``person_id`` among the application's people (read through its door)."""
    person = next((p for p in people if p.public_id == person_id), None)
    if person is None:
        raise Http404
    return person


def _section_url(application, person, form_key, slug) -> str:
    return reverse(
        "forms_imm:section_edit",
        kwargs={
            "public_id": application.public_id,
            "person_id": person.public_id,
            "form": form_key,
            "section": slug,
        },
    )


@require_safe
@preparer_required
def overview(request, public_id):
    application = get_application_for_user(request, public_id)
    people = _people(application)
    person_forms = sections_for(application, people=people)
    grouped = [(person, [pf for pf in person_forms if pf.person is person]) for person in people]
    grouped.sort(key=lambda item: not item[0].is_principal)
    return render(
        request,
        "forms_imm/forms_overview.html",
        {
            "application": application,
            "people": grouped,
            # The preparer's banner for a draft in a paused or closed program.
            "program_stopped": is_stopped(application)
            and application.preparer_user_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@preparer_required
def section_edit(request, public_id, person_id, form, section):
    application = get_application_for_user(request, public_id, write=True)
    ensure_editable(application)
    people = _people(application)
    person = _person_or_404(people, person_id)
    form_spec, section_spec = get_section_or_404(form, section)
    context = SectionContext(
        application=application, person=person, today=timezone.localdate(), people=people
    )
    visible = form_spec.sections_for(person, context)
    if (
        not form_needed(form_spec, person, application, context.today)
        or section_spec not in visible
    ):
        raise Http404
    if request.method == "POST":
        return _section_post(request, application, people, person, form_spec, section_spec, context)
    rows = section_rows(application, person=person, form=form, with_data=True)
    rows = {row.section: row for row in rows}
    row = rows.get(section_spec.slug)
    state = SectionState(section_spec, row)
    stored = row.data if row else {}
    if state.state == FormSection.State.NEEDS_ATTENTION:
        bound = section_spec.check(stored, context)  # show why it needs attention
    else:
        bound = section_spec.bind(stored=stored, context=context)
    return _render_section(
        request,
        bound,
        application=application,
        person=person,
        form_spec=form_spec,
        state=state,
        version=state.version,
        section_states=[SectionState(s, rows.get(s.slug)) for s in visible],
        answers={slug: r.data for slug, r in rows.items()},
    )


def _section_post(request, application, people, person, form_spec, section_spec, context):
    autosave = request.headers.get("X-Autosave") == "1"
    bound = section_spec.bind(request.POST, context=context)
    try:
        expected_version = int(request.POST.get("expected_version", ""))
    except ValueError:
        expected_version = -1  # a post without a version can only conflict
    if not bound.is_valid():
        if autosave:
            return JsonResponse({"errors": len(bound.errors())}, status=422)
        with_data = section_spec.extra_context is not None
        rows = {
            r.section: r
            for r in section_rows(
                application, person=person, form=form_spec.key, with_data=with_data
            )
        }
        visible = form_spec.sections_for(person, context)
        return _render_section(
            request,
            bound,
            application=application,
            person=person,
            form_spec=form_spec,
            state=SectionState(section_spec, rows.get(section_spec.slug)),
            version=expected_version,
            section_states=[SectionState(s, rows.get(s.slug)) for s in visible],
            answers={slug: r.data for slug, r in rows.items()} if with_data else {},
        )
    data = bound.to_data()
    row_action = _row_action(request.POST.get("row_action", ""), section_spec)
    if row_action:
        data, anchor = _apply_row_action(data, *row_action)
    mark_complete = request.POST.get("action") == "complete" and not row_action
    try:
        row = services.form_section_save(
            application=application,
            person=person,
            section=section_spec,
            data=data,
            expected_version=expected_version,
            actor=request.user,
            mark_complete=mark_complete,
            autosave=autosave,
            people=people,
        )
    except services.SectionConflict as conflict:
        if autosave:
            return HttpResponse(status=409)
        return _conflict(request, application, person, form_spec, section_spec, conflict, data)
    url = _section_url(application, person, form_spec.key, section_spec.slug)
    if autosave:
        response = HttpResponse(status=204)
        response["X-Form-Version"] = str(row.version)
        expires_in = getattr(request, "session_expires_in", None)
        if expires_in is not None:
            response["X-Session-Expires-In"] = str(expires_in)
        return response
    if row_action:
        return redirect(f"{url}#{anchor}")
    if mark_complete and row.is_complete:
        messages.success(request, _("Section complete."))
    elif mark_complete:
        messages.warning(
            request,
            _("Your answers were saved, but some need attention before the section is complete."),
        )
    else:
        messages.success(request, _("Draft saved."))
    return redirect(url)


def _row_action(value: str, section_spec):
    """``add:<table>``, or ``remove|up|down:<table>:<row number>``; anything else is None."""
    parts = value.split(":")
    names = {table.name for table in section_spec.tables}
    if len(parts) == 2 and parts[0] == "add" and parts[1] in names:
        return parts[0], parts[1], None
    if len(parts) == 3 and parts[0] in ROW_ACTIONS[1:] and parts[1] in names:
        if parts[2].isdigit():
            return parts[0], parts[1], int(parts[2])
    return None


def _apply_row_action(data: dict, action: str, table: str, number: int | None):
    """The answers after adding, removing or moving a row, and the anchor to land on."""
    import uuid

    rows = list(data.get(table) or [])
    if action == "add":
        rows.append({"id": uuid.uuid4().hex})
        number = len(rows)
    elif number is not None and 1 <= number <= len(rows):
        index = number - 1
        if action == "remove":
            rows.pop(index)
            number = min(number, len(rows)) or None
        elif action == "up" and index > 0:
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
            number -= 1
        elif action == "down" and index < len(rows) - 1:
            rows[index + 1], rows[index] = rows[index], rows[index + 1]
            number += 1
    data = {**data, table: rows}
    return data, f"{table}-row-{number}" if number else f"table-{table}"


def _render_section(
    request, bound, *, application, person, form_spec, state, version, answers=None, **extra
):
    section = bound.section
    form = bound.form
    fieldsets = [
        {
            "legend": fieldset.legend,
            "intro": fieldset.intro,
            "fields": [form[name] for name in fieldset.fields],
        }
        for fieldset in form.fieldsets
    ]
    warnings = bound.warnings()
    tables = [
        {
            "spec": table,
            "formset": bound.tables[table.name],
            "required": table.submit_form.required_fields,
            "warnings": warnings.get(table.name, []),
            "period_start": table.period_shown(bound.context) if bound.context else None,
        }
        for table in section.tables
    ]
    errors = bound.errors()
    context = {
        "application": application,
        "person": person,
        "form_spec": form_spec,
        "section": section,
        "state": state,
        "version": version,
        "bound": bound,
        "fieldsets": fieldsets,
        "required_fields": section.submit_form.required_fields,
        "tables": tables,
        "errors": errors,
        "has_errors": bool(errors),
        "period_start": bound.context.period_start
        if any(t.check for t in section.tables)
        else None,
        "profile": [
            (field.label, field.shown(person))
            for field in section.profile_fields
            if field.shown_to(person)
        ],
        **extra,
    }
    if section.extra_context is not None:
        context.update(section.extra_context(bound, answers or {}))
    return render(request, "forms_imm/section_edit.html", context)


def _conflict(request, application, person, form_spec, section_spec, conflict, mine: dict):
    saved = conflict.current.data if conflict.current else {}
    differences = []
    for name, field in section_spec.edit_form.base_fields.items():
        if saved.get(name) != mine.get(name):
            differences.append((field.label, saved.get(name), mine.get(name)))
    for table in section_spec.tables:
        saved_rows, my_rows = saved.get(table.name) or [], mine.get(table.name) or []
        for index in range(max(len(saved_rows), len(my_rows))):
            saved_row = saved_rows[index] if index < len(saved_rows) else {}
            my_row = my_rows[index] if index < len(my_rows) else {}
            for name, field in table.edit_form.base_fields.items():
                if name != "id" and saved_row.get(name) != my_row.get(name):
                    label = _("%(table)s, row %(row)s: %(field)s") % {
                        "table": table.title,
                        "row": index + 1,
                        "field": field.label,
                    }
                    differences.append((label, saved_row.get(name), my_row.get(name)))
    resubmit = [
        (name, value)
        for name, value in stored_to_post(section_spec, mine).items()
        if name != "expected_version"
    ]
    return render(
        request,
        "forms_imm/section_conflict.html",
        {
            "application": application,
            "person": person,
            "form_spec": form_spec,
            "section": section_spec,
            "differences": differences,
            "resubmit": resubmit,
            "current_version": conflict.current.version if conflict.current else 0,
            "section_url": _section_url(application, person, form_spec.key, section_spec.slug),
        },
        status=409,
    )


@require_safe
@login_required
def print_form(request, public_id, person_id, form):
    """The printable view of one person's form, laid out like the IMM form, with the annex.

    Clients read their own application's forms here too (they review before signing).
    """
    application = get_application_for_user(request, public_id)
    return render_print(request, application, person_id, form)


def render_print(request, application, person_id, form):
    """The printable form of ``person_id`` in ``application``, which the caller reached
    through its own door (the representative's and client's above; staff's in the admin)."""
    people = _people(application)
    person = _person_or_404(people, person_id)
    form_spec = get_form(form)
    today = timezone.localdate()
    if form_spec is None or not form_needed(form_spec, person, application, today):
        raise Http404
    context = SectionContext(application=application, person=person, today=today, people=people)
    rows = section_rows(application, person=person, form=form, with_data=True)
    answers = {row.section: row.data for row in rows}
    states = {row.section: row.state for row in rows}
    complete = all(
        states.get(s.slug) == "complete"
        for s in form_spec.sections_for(person, context)
        if s.required
    )
    return render(
        request,
        form_spec.print_template,
        {
            "application": application,
            "form_spec": form_spec,
            "person": person,
            "complete": complete,
            **form_spec.print_context(answers, context),
        },
    )
