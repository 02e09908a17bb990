"""The authorization world (QUALITY.md §3): two sides, A and B, and every persona.

Each side has a verified representative with an authenticator app, a client, an application
with a principal applicant and a spouse, documents (a PDF with a file waiting to be combined,
an image with its translation), a form section, a support request with a screenshot and an
MFA reset request; a client's correction request; and a second, submitted application (in the
staff queue) with a signature and a submission whose package is the PDF. Every name carries
the side's canary (``CANARY-A``/``CANARY-B``), so a body that shows the other side's name,
email or public id is a leak.

``build_world()`` writes everything once; the modules that use it wrap it in a transaction
that is rolled back when the module ends (``world_fixture``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests import factories
from tests.conftest import signed_in

# The personas of QUALITY.md §1, in the order the matrix reports them.
PERSONAS = (
    "anonymous",
    "client_a",  # the client of application A
    "client_b",  # another client (of application B)
    "individual",  # a client with a self-represented application of their own (issue 10)
    "rep_a",  # A's representative
    "rep_b",  # another representative (B's)
    "rep_pending",  # a representative waiting for verification
    "staff",  # staff without any permission
    "staff_perm",  # a staff processor with view and change permissions on the portal's models
    "superuser",
)

# Which side each persona is a party of (None: neither).
SIDE_OF = {"client_a": "A", "rep_a": "A", "client_b": "B", "rep_b": "B"}

# The models a staff processor works on (view and change, never delete).
PROCESSOR_APPS = ("applications", "clients", "representatives", "support")


@dataclass
class Side:
    """Everything of one side, and the strings that must never reach the other side."""

    letter: str
    rep_user: object = None
    client_user: object = None
    application: object = None
    spouse: object = None
    pdf_document: object = None
    image_document: object = None
    support_request: object = None
    mfa_reset: object = None
    queued: object = None  # a submitted application (in the staff queue) with its submission
    correction: object = None  # the client's open correction request on ``application``
    document_request: object = None  # staff's request on ``queued`` (not open while submitted)
    canaries: set[str] = field(default_factory=set)


@dataclass
class World:
    a: Side
    b: Side
    users: dict[str, object]
    sessions: dict[str, str | None]

    def side(self, letter: str) -> Side:
        return self.a if letter == "A" else self.b

    def client_for(self, persona: str) -> Client:
        """A fresh test client carrying ``persona``'s session (cookies never leak between
        tests: a sign-out in one test does not sign the persona out of the next)."""
        client = Client()
        key = self.sessions[persona]
        if key:
            client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client

    def forbidden_for(self, persona: str, *, admin: bool) -> set[str]:
        """Strings ``persona`` must never see: the canaries of every side it is not a party
        of. Staff with permissions (and superusers) see both sides, in the admin only."""
        if admin and persona in ("staff_perm", "superuser"):
            return set()
        mine = SIDE_OF.get(persona)
        return set().union(*(s.canaries for s in (self.a, self.b) if s.letter != mine))


def _side(letter: str) -> Side:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services import mfa_reset_request_create
    from applications.models import (
        Application,
        DocumentRequest,
        PRConfirmation,
        SignatureEvent,
        Submission,
    )
    from applications.uploads import upload_check
    from clients.models import CorrectionRequest
    from forms_imm.models import FormSection
    from retention.models import RemovedDraft
    from tests.corpus import make_uploads

    low = letter.lower()
    side = Side(letter)
    rep = factories.make_representative(
        email=f"canary-{low}-rep@example.test",
        full_name=f"CANARY-{letter} Rep",
        with_id_document=True,
    )
    side.rep_user = rep.user
    side.client_user = factories.make_user(role="client", email=f"canary-{low}-client@example.test")
    side.application = factories.make_application(
        representative=rep,
        client=factories.make_client(user=side.client_user),
        family_name=f"CANARY-{letter}-Family",
        given_names=f"CANARY-{letter}-Given",
    )
    application = side.application
    pa = application.principal_applicant
    pa.date_of_birth = date(1985, 4, 23)
    pa.save(update_fields=["date_of_birth"])
    side.spouse = factories.make_person(
        application=application, relationship="10", family_name=f"CANARY-{letter}-Spouse"
    )
    side.pdf_document = factories.make_document(application=application, person=pa)
    factories.make_document(
        application=application, person=pa, state="part", part_of=side.pdf_document
    )
    side.image_document = factories.make_document(
        application=application,
        person=pa,
        item_code="identity_documents",
        name="id.jpg",
        content=make_uploads.good_jpeg(),
        not_in_english_or_french=True,
        translation_file=side.pdf_document.file,
    )
    FormSection.objects.create(
        application=application,
        person=pa,
        form="imm5669",
        section="background",
        data={"details": f"CANARY-{letter}-Details"},
    )
    screenshot = upload_check(
        SimpleUploadedFile("s.png", make_uploads.good_png()), allowed_kinds={"png", "jpeg"}
    )
    side.support_request = factories.make_support_request(
        submitted_by=side.client_user,
        name=f"CANARY-{letter} Sender",
        description=f"CANARY-{letter} problem",
        screenshots=[screenshot],
    )
    side.mfa_reset = mfa_reset_request_create(user=side.rep_user)
    side.correction = CorrectionRequest.objects.create(
        application=application,
        topic=CorrectionRequest.Topic.OTHER,
        message=f"CANARY-{letter} correction",
        created_by=side.client_user,
    )
    side.queued = factories.make_application(
        representative=rep,
        client=application.client,
        family_name=f"CANARY-{letter}-Queued",
        status=Application.Status.SUBMITTED,
        application_number=f"{letter}00000000{1 if letter == 'A' else 2}",
    )
    SignatureEvent.objects.create(
        application=side.queued,
        form_key="imm5669",
        form="imm5669",
        signer=side.client_user,
        signer_role="client",
        capacity=SignatureEvent.Capacity.values[0],
        typed_text=f"CANARY-{letter}-Given CANARY-{letter}-Queued",
        attestation_version="1",
        attestation_sha256="0" * 64,
        content_json="{}",
        content_sha256="0" * 64,
        seal="0" * 64,
    )
    Submission.objects.create(
        application=side.queued,
        number=1,
        token=uuid.uuid4(),
        application_number=side.queued.application_number,
        submitted_by=side.rep_user,
        manifest={},
        manifest_sha256="0" * 64,
        package=side.pdf_document.file,
    )
    # PR confirmation pages (issue 8): the queued application's PA has a confirmation with a
    # photo waiting to be sent again and an eCOPR, so every PR page has something to show.
    # (Not a state the services reach together; the matrix tests access, not the workflow.)
    PRConfirmation.objects.create(
        application=side.queued,
        person=side.queued.principal_applicant,
        state=PRConfirmation.State.PHOTO_REJECTED,
        photo=side.image_document.file,
        ecopr=side.pdf_document.file,
        rejection_reason=f"CANARY-{letter} rejection",
        city=f"CANARY-{letter}-City",
    )
    # A draft the retention job removed: its record names IDs and counts only.
    RemovedDraft.objects.create(
        application_public_id=uuid.uuid4(), program=application.program, representative=rep,
        status="draft", created_at=application.created_at, last_change_at=application.created_at,
        warned_at=application.created_at, people=1, form_sections=0, documents=0, files=0,
        file_bytes=0,
    )  # fmt: skip
    # A document request on the submitted application: not open yet (staff ask from the
    # completeness check on), so its upload page answers 409 to the representative.
    side.document_request = DocumentRequest.objects.create(
        application=side.queued,
        name=f"CANARY-{letter} requested document",
        due_on=date(2099, 1, 1),
        requested_by=side.rep_user,
    )
    side.canaries = {
        f"CANARY-{letter}",
        side.rep_user.email,
        side.client_user.email,
        str(application.public_id),
        str(pa.public_id),
        str(side.spouse.public_id),
        str(side.pdf_document.public_id),
        str(side.image_document.public_id),
        str(side.support_request.public_id),
        str(rep.public_id),
        str(rep.id_document.public_id),
        str(side.queued.public_id),
        str(side.queued.principal_applicant.public_id),
        str(side.correction.public_id),
    }
    return side


def build_world() -> World:
    a, b = _side("A"), _side("B")
    pending = factories.make_representative(
        email="canary-pending-rep@example.test", status="pending"
    ).user
    staff = factories.make_staff(email="canary-staff@example.test")
    processor = factories.make_staff(email="canary-processor@example.test")
    processor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=PROCESSOR_APPS).exclude(
            codename__startswith="delete_"
        )
    )
    root = factories.make_staff(superuser=True, email="canary-root@example.test")
    from tests.individuals.helpers import make_individual, make_own_application

    individual = make_individual("canary-individual@example.test")
    make_own_application(individual, name="CANARY-I-Family")
    EmailAddress.objects.create(
        user=individual, email=individual.email, verified=True, primary=True
    )
    Group.objects.create(name="Processors")
    Group.objects.create(name="Verifiers")
    for side in (a, b):
        EmailAddress.objects.create(
            user=side.client_user, email=side.client_user.email, verified=True, primary=True
        )
    users = {
        "anonymous": None,
        "client_a": a.client_user,
        "client_b": b.client_user,
        "individual": individual,
        "rep_a": a.rep_user,
        "rep_b": b.rep_user,
        "rep_pending": pending,
        "staff": staff,
        "staff_perm": processor,
        "superuser": root,
    }
    sessions = {
        persona: (signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value if user else None)
        for persona, user in users.items()
    }
    world = World(a=a, b=b, users=users, sessions=sessions)
    for persona in ("rep_a", "rep_b"):  # allauth records a user session on the first request
        world.client_for(persona).get("/en/")
    return world


def missing_uuid() -> uuid.UUID:
    return uuid.uuid4()
