"""Rendering bilingual emails (QUALITY.md §11): one message, the recipient's language first.

Only rendering lives here; ``accounts.services.email_send`` and ``outbox_add`` store the result
in the outbox. Templates hold no personal data beyond the recipient's name and the
application number, and always link back to the portal (``site_url``).
"""

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext

LANGUAGES = ("en", "fr")
# The notice that the other language follows is written in that other language.
OTHER_LANGUAGE_NOTICE = {"en": "La version française suit", "fr": "English follows"}


@dataclass(frozen=True)
class EmailPart:
    """One language's version of an email."""

    language: str
    subject: str
    text: str
    html: str | None  # None: the HTML layout shows the text version


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template without HTML escaping (plain text carries no markup)."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def email_languages(language: str | None) -> tuple[str, str]:
    """The recipient's language first, then the other official language."""
    first = language if language in LANGUAGES else "en"
    return first, ("fr" if first == "en" else "en")


def email_compose(parts: list[EmailPart]) -> tuple[str, str, str]:
    """Combine the per-language parts into one bilingual (subject, text, html)."""
    context = {
        "parts": parts,
        "notice": OTHER_LANGUAGE_NOTICE[parts[0].language],
        "site_url": settings.SITE_URL,
        "first_language": parts[0].language,
    }
    subject = " / ".join(part.subject for part in parts)[:300]
    text = render_text("emails/base.txt", context).strip() + "\n"
    html = render_to_string("emails/base.html", context)
    return subject, text, html


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_part(template: str, context: dict, language: str) -> EmailPart:
    """Our own templates: emails/<template>_subject.txt, <template>.txt and <template>.html."""
    with translation.override(language):
        return EmailPart(
            language=language,
            subject=_one_line(render_text(f"emails/{template}_subject.txt", context)),
            text=render_text(f"emails/{template}.txt", context).strip(),
            html=render_to_string(f"emails/{template}.html", context),
        )


def render_allauth_part(template_prefix: str, context: dict, language: str) -> EmailPart:
    """allauth's templates: <prefix>_subject.txt, <prefix>_message.txt, optional .html."""
    with translation.override(language):
        site = SimpleNamespace(name=gettext("PR Portal"), domain=urlsplit(settings.SITE_URL).netloc)
        ctx = {"current_site": site, **context}
        try:
            html = render_to_string(f"{template_prefix}_message.html", ctx)
        except TemplateDoesNotExist:
            html = None
        return EmailPart(
            language=language,
            subject=_one_line(render_text(f"{template_prefix}_subject.txt", ctx)),
            text=render_text(f"{template_prefix}_message.txt", ctx).strip(),
            html=html,
        )


def message_id_for(key: str) -> str:
    """A Message-ID fixed by the idempotency key, so a retry cannot make a second message."""
    host = urlsplit(settings.SITE_URL).hostname or "portal"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{host}>"
