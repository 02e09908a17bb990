"""The eCOPR (electronic Confirmation of Permanent Residence): one bilingual PDF per person,
rendered outside the request on the pdf queue once staff confirm PR status.

Rendered by WeasyPrint with the package's static-only URL fetcher and written atomically
(applications.package); the row is updated only after the file is complete, so a worker killed
mid-render leaves nothing half-written and the sweeper publishes the render again.
"""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import StoredFile

from .models import PRConfirmation
from .package import pdf_file_write, pdf_render
from .pr_confirmation import ecopr_issued


def _confirmation(confirmation_id: int) -> PRConfirmation:
    return PRConfirmation.objects.select_related(
        "application__program", "application__client__user", "person", "confirmed_by"
    ).get(pk=confirmation_id)


def _both(text) -> tuple[str, str]:
    """``text`` (translatable) in English and in French."""
    with translation.override("en"):
        english = str(text)
    with translation.override("fr"):
        french = str(text)
    return english, french


def ecopr_rows(confirmation: PRConfirmation) -> list[tuple[str, str, str]]:
    """(English label, French label, value) of every line of the eCOPR."""
    from forms_imm import reference

    person = confirmation.person
    province = (
        reference.label("province", confirmation.province, "en") if confirmation.province else ""
    )
    rows = [
        (_("Family name"), person.family_name),
        (_("Given name(s)"), person.given_names),
        (_("Date of birth"), person.date_of_birth.isoformat() if person.date_of_birth else ""),
        (_("UCI (client identifier)"), person.uci_display),
        (_("Application number"), confirmation.application.application_number or ""),
        (
            _("Date of landing"),
            confirmation.landed_on.isoformat() if confirmation.landed_on else "",
        ),
        (_("Canadian address"), ", ".join(confirmation.address_lines)),
        (_("Province or territory"), province),
    ]
    return [(*_both(label), value or "—") for label, value in rows]


def ecopr_html(confirmation: PRConfirmation) -> str:
    """The eCOPR page: every label in English and in French, whatever the reader's language."""
    return render_to_string(
        "applications/print/ecopr.html",
        {
            "confirmation": confirmation,
            "title": _both(_("Confirmation of Permanent Residence")),
            "note": _both(
                _(
                    "This document confirms that the person named below became a permanent "
                    "resident of Canada on the date of landing. The PR card will be mailed to "
                    "the Canadian address shown."
                )
            ),
            "rows": ecopr_rows(confirmation),
        },
    )


def ecopr_build(*, confirmation_id: int) -> str:
    """Render and store one person's eCOPR (idempotent: an issued eCOPR is kept)."""
    confirmation = _confirmation(confirmation_id)
    if confirmation.ecopr_id is not None:
        return "exists"
    if confirmation.state != PRConfirmation.State.CONFIRMED:
        return "not_confirmed"
    PRConfirmation.objects.filter(pk=confirmation.pk).update(
        ecopr_attempts=confirmation.ecopr_attempts + 1
    )
    with translation.override("en"):
        content = pdf_render([ecopr_html(confirmation)])
    digest = hashlib.sha256(content).hexdigest()
    name = pdf_file_write(f"ecopr/{confirmation.public_id}-{digest[:16]}.pdf", content)
    number = confirmation.application.application_number or "ecopr"
    stored = StoredFile.objects.create(
        file=name,
        kind="pdf",
        sha256=digest,
        size=len(content),
        page_count=1,
        display_name=f"{number}-eCOPR-{confirmation.person.family_name}.pdf",
        uploaded_by=confirmation.confirmed_by,
        purpose="ecopr",
    )
    if not ecopr_issued(confirmation, stored):
        StoredFile.objects.filter(pk=stored.pk).delete()
        return "exists"
    return "rendered"


def pending_ecoprs() -> list[int]:
    """Confirmed people whose eCOPR is still missing (the sweeper republishes them)."""
    return list(
        PRConfirmation.objects.filter(
            state=PRConfirmation.State.CONFIRMED, ecopr__isnull=True
        ).values_list("pk", flat=True)[:100]
    )
