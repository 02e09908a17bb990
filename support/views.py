import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import WrongState
from accounts.request_meta import client_ip, request_meta
from accounts.services import audit_record
from applications.models import Program

from . import ratelimit
from .access import get_support_request_for_user
from .forms import FollowUpForm, SupportRequestForm
from .models import HelpArticle, SupportEvent, SupportRequest
from .services import CLOSED_MESSAGE, support_request_follow_up, support_request_submit

logger = logging.getLogger(__name__)

# The confirmation page shows the reference kept here, never one taken from the address.
SENT_SESSION_KEY = "support_sent_reference"


@require_safe
def help_centre(request):
    terms = request.GET.get("q", "").strip()[:200]
    articles = HelpArticle.objects.published()
    if terms:
        articles = articles.search(terms, get_language() or "en")
    return render(
        request,
        "support/help_centre.html",
        {"articles": list(articles), "terms": terms, "topics": HelpArticle.Topic},
    )


@require_safe
def guides(request):
    programs = Program.objects.active().only(
        "code", "name_en", "name_fr", "guide_number", "guide_title_en", "guide_title_fr",
        "other_guides", "order",
    )  # fmt: skip
    return render(request, "support/guides.html", {"programs": programs})


def _initial_for(user) -> dict:
    if not user.is_authenticated:
        return {}
    representative = getattr(user, "representative", None)
    name = getattr(representative, "full_name", "") if representative is not None else ""
    return {"email": user.email, "name": name}


def _too_many(request, form, scope):
    """The form again, as typed, with a 429 and a message saying when to try again."""
    minutes = max(1, round(ratelimit.seconds_until_reset() / 60))
    form.add_error(
        None,
        _(
            "You have sent too many requests in the last hour. Please try again in about "
            "%(minutes)s minutes. What you typed is still here."
        )
        % {"minutes": minutes},
    )
    audit_record(
        actor=request.user,
        action="support_request.rate_limited",
        outcome="denied",
        reason=scope,
        **request_meta(request),
    )
    logger.warning("support form rate limit reached", extra={"route": "support:contact"})
    return render(request, "support/contact.html", {"form": form}, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """The technical-issue web form, open to everyone (CSRF still applies)."""
    if request.method != "POST":
        form = SupportRequestForm(initial=_initial_for(request.user), actor=request.user)
        return render(request, "support/contact.html", {"form": form})

    ip = client_ip(request) or ""
    form = SupportRequestForm(request.POST, request.FILES, actor=request.user)
    if ratelimit.is_exceeded("ip", ip):
        return _too_many(request, form, "ip")
    ratelimit.hit("ip", ip)
    if not form.is_valid():
        return render(
            request, "support/contact.html", {"form": form, "files_dropped": bool(request.FILES)}
        )
    email = form.cleaned_data["email"]
    if ratelimit.is_exceeded("email", email):
        return _too_many(request, form, "email")
    support_request = support_request_submit(
        data=form.submitted(),
        screenshots=form.cleaned_data["screenshots"],
        actor=request.user,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        language=get_language() or "en",
        **request_meta(request),
    )
    ratelimit.hit("email", email)
    request.session[SENT_SESSION_KEY] = support_request.reference
    return redirect("support:contact_sent")


@require_safe
def contact_sent(request):
    reference = request.session.get(SENT_SESSION_KEY)
    if not reference:
        return redirect("support:contact")
    return render(request, "support/contact_sent.html", {"reference": reference})


@require_safe
@login_required
def request_list(request):
    requests = (
        SupportRequest.objects.visible_to(request.user)
        .select_related("program")
        .only(
            "public_id", "reference", "category", "status", "created_at", "updated_at",
            "program__name_en", "program__name_fr",
        )[:100]
    )  # fmt: skip
    return render(request, "support/request_list.html", {"support_requests": requests})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_detail(request, public_id):
    support_request = get_support_request_for_user(request, public_id)
    if request.method == "POST":
        if not support_request.is_open:
            raise WrongState(CLOSED_MESSAGE)
        form = FollowUpForm(request.POST)
        if form.is_valid():
            support_request_follow_up(
                support_request=support_request,
                message=form.cleaned_data["message"],
                actor=request.user,
            )
            return redirect("support:request_detail", public_id=public_id)
    else:
        form = FollowUpForm()
    events = support_request.events.filter(kind__in=SupportEvent.SHOWN_TO_REQUESTER).only(
        "kind", "old_status", "new_status", "message", "at", "actor_id", "support_request_id"
    )
    return render(
        request,
        "support/request_detail.html",
        {"support_request": support_request, "events": events, "form": form},
    )
