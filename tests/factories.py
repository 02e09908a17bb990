"""make_* helpers: one per model, with canary-friendly defaults. Later issues add theirs here."""

import itertools
import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import User
from representatives.models import Representative

PASSWORD = "correct horse battery staple 42"
_counter = itertools.count(1)


def make_user(*, role=User.Role.REPRESENTATIVE, email=None, password=PASSWORD, **extra) -> User:
    n = next(_counter)
    return User.objects.create_user(
        email=email or f"{role}-{n}@example.test", password=password, role=role, **extra
    )


CICC = {
    "name_en": "College of Immigration and Citizenship Consultants",
    "name_fr": "Collège des consultants en immigration et en citoyenneté",
    "representative_types": ["consultant"],
    "membership_id_pattern": r"^R[0-9]{6}$",
    "pattern_hint_en": "R followed by 6 digits, for example R123456",
    "pattern_hint_fr": "R suivi de 6 chiffres, par exemple R123456",
}
PERMISSIVE_BODY = {
    "representative_types": ["lawyer"],
    "membership_id_pattern": r"^[A-Z0-9][A-Z0-9-]{2,19}$",
    "pattern_hint_en": "3 to 20 letters, digits or hyphens",
    "pattern_hint_fr": "De 3 à 20 lettres, chiffres ou traits d'union",
}


def make_membership_body(code="cicc", **fields):
    """The body migration 0003 loads (transactional tests flush it, so re-create it here)."""
    from representatives.models import MembershipBody

    defaults = (
        dict(CICC)
        if code == "cicc"
        else {
            "name_en": f"Law Society {code}",
            "name_fr": f"Barreau {code}",
            **PERMISSIVE_BODY,
        }
    )
    defaults.update(fields)
    body, _ = MembershipBody.objects.get_or_create(code=code, defaults=defaults)
    return body


def png_bytes(width=600, height=400) -> bytes:
    """A small clean PNG, like a scanned identity document."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 220)).save(buffer, format="PNG")
    return buffer.getvalue()


def make_id_document(*, uploaded_by, content=None, name="passport.png"):
    """A StoredFile that went through the real upload pipeline."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.uploads import UploadField, upload_store

    upload = SimpleUploadedFile(name, content or png_bytes(), content_type="image/png")
    checked = UploadField(allowed_kinds={"pdf", "jpeg", "png"}).clean(upload)
    return upload_store(checked, uploaded_by=uploaded_by, purpose="representative_id_document")


def make_representative(
    *,
    status=Representative.Status.VERIFIED,
    email=None,
    full_name=None,
    with_id_document=False,
    **extra,
) -> Representative:
    """A representative with a complete profile (a blank one while `profile_incomplete`)."""
    from django.utils import timezone

    user = make_user(role=User.Role.REPRESENTATIVE, email=email)
    fields = {"full_name": full_name or f"Rep {user.pk}"}
    if status != Representative.Status.PROFILE_INCOMPLETE:
        now = timezone.now()
        fields.update(
            rep_type=Representative.Type.CONSULTANT,
            membership_body=make_membership_body("cicc"),
            membership_id=f"R{user.pk:06d}",
            firm_name=f"Firm {user.pk}",
            address_street="100 Wellington Street",
            address_unit="",
            address_city="Ottawa",
            address_province="ON",
            address_postal_code="K1A 0A9",
            address_country="CA",
            phone="16135550100",
            id_document_type="passport",
            submitted_at=now,
            status_changed_at=now,
        )
        if status in (Representative.Status.VERIFIED, Representative.Status.SUSPENDED):
            fields["verified_at"] = now
        if status == Representative.Status.REJECTED:
            fields["rejection_reason"] = "The membership ID is not on the register."
    if with_id_document:
        fields["id_document"] = make_id_document(uploaded_by=user)
    fields.update(extra)
    return Representative.objects.create(user=user, status=status, **fields)


def make_staff(*, superuser=False, email=None) -> User:
    if superuser:
        return User.objects.create_superuser(
            email=email or f"root-{next(_counter)}@example.test", password=PASSWORD
        )
    return make_user(role=User.Role.STAFF, email=email, is_staff=True)


def make_totp(user: User, *, secret: str | None = None):
    """Enrol ``user`` in TOTP with recovery codes, as allauth does: (authenticator, secret)."""
    secret = secret or generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    RecoveryCodes.activate(user)
    return authenticator, secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app would show now (or at ``at``)."""
    counter = int(time.time() if at is None else at) // 30
    return format_hotp_value(hotp_value(secret, counter))


# --- clients and applications (issue 4) ---------------------------------------------------------


def make_client(*, user=None, email=None, activated=False, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from clients.models import Client

    user = user or make_user(role=User.Role.CLIENT, email=email, password=None)
    now = timezone.now()
    defaults = {
        "temporary_password_sent_at": now,
        "temporary_password_expires_at": now + timedelta(hours=72),
        "activated_at": now if activated else None,
    }
    return Client.objects.create(user=user, **{**defaults, **extra})


def make_application(
    *,
    representative=None,
    client=None,
    program=None,
    family_name="Doe",
    given_names="Jane",
    **extra,
):
    """A draft with its PA profile, as application_create leaves it (without the emails)."""
    from applications.models import Application, Person, Program

    representative = representative or make_representative()
    client = client or make_client()
    program = program or Program.objects.get(code="family_spouse_partner_child")
    application = Application.objects.create(
        representative=representative, client=client, program=program, **extra
    )
    pa = Person.objects.create(
        application=application,
        role=Person.Role.PRINCIPAL,
        family_name=family_name,
        given_names=given_names,
        email=client.user.email,
    )
    Application.objects.filter(pk=application.pk).update(principal_applicant=pa)
    application.principal_applicant = pa
    # As application_create leaves it: the progress counters computed once. Section saves
    # then move them incrementally (forms_imm.services._progress_adjust).
    from applications.services import application_progress_refresh

    application_progress_refresh(application, at=application.updated_at)
    return application


def make_person(*, application, relationship="02", family_name="Doe", **fields):
    from applications.models import Person

    return Person.objects.create(
        application=application,
        role=Person.ROLE_OF_RELATIONSHIP[relationship],
        relationship=relationship,
        family_name=family_name,
        **fields,
    )


# --- documents (issue 6) ------------------------------------------------------------------------


def make_document(
    *,
    application,
    item_code: str | None = "passport",
    person=None,
    name: str = "file.pdf",
    content: bytes | None = None,
    uploaded_by=None,
    **fields,
):
    """A current document in a slot, stored through the real pipeline (a small PDF by default).

    ``item_code`` names the program's checklist item (None: the additional-documents slot
    without an item); the slot is the item's, for ``person`` when given.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.documents import ADDITIONAL_CODE, slot_key
    from applications.models import ChecklistItem, Document
    from applications.uploads import upload_check, upload_store
    from tests.corpus import make_uploads

    content = make_uploads.good_pdf() if content is None else content
    checked = upload_check(
        SimpleUploadedFile(name, content),
        allowed_kinds={"pdf", "jpeg", "png", "doc", "docx"},
        allow_active_pdf=True,
    )
    uploaded_by = uploaded_by or application.preparer_user
    item = (
        ChecklistItem.objects.get(program=application.program, code=item_code)
        if item_code
        else None
    )
    stored = upload_store(checked, uploaded_by=uploaded_by, purpose="documents")
    values = {
        "application": application,
        "person": person,
        "checklist_item": item,
        "slot_key": slot_key(item_code or ADDITIONAL_CODE, person),
        "file": stored,
        "display_name": f"Doe – Jane – Document – 1.{checked.extension}",
        "uploaded_by": uploaded_by,
    }
    values.update(fields)
    return Document.objects.create(**values)


def make_submission(*, application, **fields):
    """A submission row as ``application_submit`` records it, without the gate and the forms
    (tests/applications/test_submission.py covers those); no package yet."""
    import hashlib
    import uuid

    from applications.models import Submission

    values = {
        "application": application,
        "number": 1,
        "token": uuid.uuid4(),
        "application_number": f"F{next(_counter):09d}",
        "submitted_by": application.representative.user,
        "manifest": {"files": {}},
        "manifest_sha256": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
    }
    values.update(fields)
    return Submission.objects.create(**values)


def make_support_request(*, submitted_by=None, **extra):
    """A technical issue as the web form records it (support.services.support_request_submit)."""
    from applications.models import Program
    from support.models import SupportRequest
    from support.services import SubmittedRequest, support_request_submit

    screenshots = extra.pop("screenshots", [])
    fields = {
        "category": SupportRequest.Category.UPLOADS,
        "name": "CANARY Sender",
        "email": getattr(submitted_by, "email", None) or f"sender-{next(_counter)}@example.test",
        "uci": SupportRequest.NO_UCI,
        "application_number": SupportRequest.NO_APPLICATION_NUMBER,
        "program_id": Program.objects.order_by("order").values_list("pk", flat=True).first(),
        "description": "CANARY description of the problem",
        **extra,
    }
    return support_request_submit(
        data=SubmittedRequest(**fields), screenshots=screenshots,
        actor=submitted_by,
    )  # fmt: skip
