"""The client's own pages: choosing a password, "My applications", one application read-only
(status timeline, forms to review, documents), and asking for a correction. Plus the
representative's "mark as dealt with" on a correction request.

Each view: door (``client_required`` and ``get_application_for_user``), form, one service,
redirect. A client can change nothing in an application; anyone else's application is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.errors import WrongState
from accounts.models import User
from accounts.request_meta import client_ip
from applications import appointments
from applications.access import (
    get_application_for_user,
    get_document_for_application,
    representative_required,
)
from applications.document_views import image_document_response, page_response, preview_context
from applications.forms import IndividualStartForm, nearly_full, open_programs
from applications.history import processing_timeline
from applications.models import Application, ApplicationEvent, Document
from applications.pr_confirmation import confirmations_for
from applications.services import application_self_start
from forms_imm.sections import sections_for

from . import services
from .access import get_client_for_user, get_correction_for_application
from .forms import AppointRepresentativeForm, ClientPasswordForm, CorrectionRequestForm
from .models import CorrectionRequest

# The history rows a client sees on their application, in plain words. Everything else
# (profile edits, uploads, form saves) is the representative's working detail.
TIMELINE_LABELS = {
    # An individual starts their own application (issue 10); a representative, their client's.
    ApplicationEvent.Action.CREATED: {
        "client": gettext_lazy("You started the application"),
        None: gettext_lazy("Your representative started the application"),
    },
    ApplicationEvent.Action.COPIED: {
        "client": gettext_lazy("You started the application"),
        None: gettext_lazy("Your representative started the application"),
    },
    ApplicationEvent.Action.CLIENT_INVITED: gettext_lazy(
        "You were invited to the portal and sent a temporary password"
    ),
    ApplicationEvent.Action.CLIENT_PASSWORD_RESENT: gettext_lazy(
        "A new temporary password was sent to you"
    ),
    ApplicationEvent.Action.CLIENT_EMAIL_CORRECTED: gettext_lazy(
        "Your email address was corrected"
    ),
    ApplicationEvent.Action.CLIENT_ACTIVATED: gettext_lazy(
        "You chose your password and your account became active"
    ),
    ApplicationEvent.Action.CORRECTION_REQUESTED: gettext_lazy(
        "You asked your representative for a correction"
    ),
    ApplicationEvent.Action.CORRECTION_RESOLVED: gettext_lazy(
        "Your representative dealt with a correction you asked for"
    ),
    ApplicationEvent.Action.REPRESENTATIVE_APPOINTED: gettext_lazy(
        "You appointed a representative"
    ),
    ApplicationEvent.Action.REPRESENTATIVE_REVOKED: gettext_lazy(
        "You revoked your representative's appointment"
    ),
    ApplicationEvent.Action.PR_OPENED: gettext_lazy(
        "You were invited to confirm permanent residence for a person on the application"
    ),
    ApplicationEvent.Action.PR_SENT: gettext_lazy(
        "You sent the presence in Canada, the address and the photo of a person"
    ),
    ApplicationEvent.Action.PR_PHOTO_REJECTED: gettext_lazy(
        "The processing office asked for a new photo of a person"
    ),
    ApplicationEvent.Action.PR_PHOTO_ACCEPTED: gettext_lazy(
        "The processing office accepted the photo of a person"
    ),
    ApplicationEvent.Action.PR_CONFIRMED: gettext_lazy(
        "Permanent residence was confirmed for a person"
    ),
    ApplicationEvent.Action.ECOPR_ISSUED: gettext_lazy("An eCOPR was issued"),
    ApplicationEvent.Action.ECOPR_ERROR_REPORTED: gettext_lazy("You reported an error in an eCOPR"),
}
TIMELINE_LIMIT = 200


def client_required(view):
    """Signed in as a client, else 404 (these pages do not exist for anyone else)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != User.Role.CLIENT or request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@require_http_methods(["GET", "POST"])
@client_required
def set_password(request):
    """The first thing a client does after signing in with the temporary password."""
    if not services.client_needs_password(request.user):
        return redirect("clients:home")
    client = get_client_for_user(request)
    form = ClientPasswordForm(user=request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.client_password_set(
            client=client, password=form.cleaned_data["password1"], ip=client_ip(request)
        )
        request.user.refresh_from_db(fields=["password"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password is set. Use it from now on to sign in."))
        return redirect("clients:home")
    return render(request, "clients/set_password.html", {"form": form})


@require_safe
@client_required
def home(request):
    """My applications: the client's own, with program, representative, status and number."""
    applications = list(
        Application.objects.visible_to(request.user)
        .select_related("program", "representative", "principal_applicant")
        .only(
            "public_id", "status", "application_number", "updated_at",
            "program__name_en", "program__name_fr",
            "representative__full_name", "representative__public_id",
            "principal_applicant__family_name", "principal_applicant__given_names",
        )
        .order_by("-updated_at", "-public_id")
    )  # fmt: skip
    return render(request, "clients/home.html", {"applications": applications})


@require_http_methods(["GET", "POST"])
@client_required
def application_start(request):
    """An individual starts an application of their own: no representative, they are its
    principal applicant and prepare it on the same pages a representative uses."""
    client = get_client_for_user(request)
    programs = open_programs()
    form = IndividualStartForm(request.POST or None, client=client, programs=programs)
    if request.method == "POST" and form.is_valid():
        application = application_self_start(
            client=client,
            family_name=form.cleaned_data["family_name"],
            given_names=form.cleaned_data["given_names"],
            program=form.cleaned_data["program"],
            ip=client_ip(request),
        )
        messages.success(request, _("Application started. Complete each task in the list."))
        return redirect("applications:detail", public_id=application.public_id)
    return render(
        request,
        "clients/application_start.html",
        {"form": form, "nearly_full": nearly_full(programs)},
    )


@require_http_methods(["GET", "POST"])
@client_required
def representative_appoint(request, public_id):
    """A self-represented individual appoints a representative for this application."""
    application = get_application_for_user(request, public_id)
    if not application.is_self_represented:
        raise WrongState()
    form = AppointRepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appointments.representative_appoint(
            application=application,
            representative=form.representative,
            actor=request.user,
            ip=client_ip(request),
        )
        messages.success(
            request,
            _("%(name)s is now your representative for this application.")
            % {"name": form.representative.full_name},
        )
        return redirect("clients:application", public_id=application.public_id)
    return render(
        request,
        "clients/representative_appoint.html",
        {"application": application, "form": form},
    )


@require_POST
@client_required
def representative_revoke(request, public_id):
    """The individual ends the appointment: the representative loses access at once."""
    application = get_application_for_user(request, public_id)
    appointments.representative_revoke(
        application=application, actor=request.user, ip=client_ip(request)
    )
    messages.success(
        request,
        _("The appointment was revoked. You prepare this application yourself again."),
    )
    return redirect("applications:detail", public_id=application.public_id)


def _status_timeline(application) -> list:
    """The client's timeline: the rows above plus the processing timeline (status changes,
    staff decisions, requests, changes of circumstances), newest first."""
    return processing_timeline(application, for_client=True, labels=TIMELINE_LABELS)[
        :TIMELINE_LIMIT
    ]


def _appointment(application, timeline):
    """The client's current appointment of a representative, looked up only when the timeline
    shows one (a client invited by their representative costs no query)."""
    if not any(row.action == ApplicationEvent.Action.REPRESENTATIVE_APPOINTED for row in timeline):
        return None
    return appointments.current_appointment(application)


def _review(application):
    """People, the forms each needs (with their state) and the current documents."""
    people = list(application.people.order_by("created_at", "id"))
    person_forms = sections_for(application, people=people)
    grouped = [(person, [pf for pf in person_forms if pf.person is person]) for person in people]
    grouped.sort(key=lambda item: not item[0].is_principal)
    documents = list(
        Document.objects.filter(application=application, state=Document.State.CURRENT)
        .select_related("person", "checklist_item")
        .only(
            "public_id", "display_name", "uploaded_at", "slot_key",
            "person__family_name", "person__given_names",
            "checklist_item__name_en", "checklist_item__name_fr",
        )
        .order_by("uploaded_at", "id")
    )  # fmt: skip
    return grouped, documents


@require_safe
@client_required
def application_detail(request, public_id):
    application = get_application_for_user(request, public_id)
    if application.is_self_represented:  # they prepare it: the preparer's page is theirs
        return redirect("applications:detail", public_id=application.public_id)
    grouped, documents = _review(application)
    timeline = _status_timeline(application)
    corrections = list(
        CorrectionRequest.objects.filter(application_id=application.pk).only(
            "public_id", "topic", "status", "created_at", "resolved_at", "message"
        )
    )
    return render(
        request,
        "clients/application_detail.html",
        {
            "application": application,
            "people": grouped,
            "documents": documents,
            "timeline": timeline,
            "corrections": corrections,
            "pr_confirmations": confirmations_for(application),
            "appointment": _appointment(application, timeline),
        },
    )


def _current_document(request, public_id, document_id):
    """A current document of the client's own application: the review shows only those."""
    application = get_application_for_user(request, public_id)
    document = get_document_for_application(application, document_id)
    if document.state != Document.State.CURRENT:
        raise Http404
    return application, document


@require_safe
@client_required
def document_preview(request, public_id, document_id):
    """A read-only preview (images rendered on the server) of an uploaded document."""
    application, document = _current_document(request, public_id, document_id)
    return render(
        request,
        "clients/document_preview.html",
        {"application": application, **preview_context(request, document)},
    )


@require_safe
@client_required
def document_page(request, public_id, document_id, page):
    return page_response(_current_document(request, public_id, document_id)[1], page)


@require_safe
@client_required
def document_image(request, public_id, document_id):
    return image_document_response(_current_document(request, public_id, document_id)[1])


@require_http_methods(["GET", "POST"])
@client_required
def correction_new(request, public_id):
    application = get_application_for_user(request, public_id)
    if application.is_self_represented:  # nobody else to ask: they change it themselves
        raise WrongState()
    people = list(application.people.order_by("created_at", "id"))
    people.sort(key=lambda person: not person.is_principal)
    form = CorrectionRequestForm(
        request.POST or None,
        person_forms=[(pf.person, pf.form) for pf in sections_for(application, people=people)],
        people=people,
    )
    retry_at = services.correction_retry_at(application)
    if request.method == "POST" and form.is_valid():
        if retry_at is not None:
            form.add_error(None, services.CorrectionLimitReached.default_message)
        else:
            topic, form_key, person = form.target()
            services.correction_request_send(
                application=application,
                actor=request.user,
                topic=topic,
                form=form_key,
                person=person,
                message=form.cleaned_data["message"],
                ip=client_ip(request),
            )
            messages.success(
                request,
                _("Your request was sent to your representative. They will make the correction."),
            )
            return redirect("clients:application", public_id=public_id)
    return render(
        request,
        "clients/correction_form.html",
        {
            "application": application,
            "form": form,
            "retry_at": retry_at,
            "limit": CorrectionRequest.MESSAGE_MAX_LENGTH,
        },
    )


@require_POST
@representative_required
def correction_resolve(request, public_id, correction_id):
    """The representative marks a client's correction request as dealt with."""
    application = get_application_for_user(request, public_id, write=True)
    correction = get_correction_for_application(application, correction_id)
    services.correction_request_resolve(
        correction=correction, actor=request.user, ip=client_ip(request)
    )
    messages.success(request, _("The correction request is marked as dealt with."))
    return redirect("applications:detail", public_id=public_id)
