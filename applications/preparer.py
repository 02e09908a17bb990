"""Who prepares an application, in one place (issue 10).

An application is prepared by its representative or, when it has none (a self-represented
individual), by its client. Every email a representative would get goes to the preparer
through ``preparer_email_send``; the doors use ``Application.preparer_user_id``.
"""

from accounts.services import email_send
from clients.services import client_language


def preparer_language(application) -> str | None:
    if application.representative_id is not None:
        return application.representative.user.preferred_language or None
    return client_language(application.client)


def preparer_email_send(
    application, *, template: str, context: dict, key: str, client_has_copy: bool = False
) -> None:
    """Email the preparer. ``client_has_copy``: the caller also emails the client, so a
    self-represented individual (who is both) gets that one email only."""
    if client_has_copy and application.is_self_represented:
        return
    email_send(
        to=application.preparer_user.email,
        template=template,
        context={**context, "name": application.preparer_name},
        key=key,
        language=preparer_language(application),
    )
