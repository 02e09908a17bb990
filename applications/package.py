"""The submission package: one PDF of everything submitted, rendered outside the request.

Each digital form with its own print template, then the signature evidence and the manifest
pages, rendered by WeasyPrint with a URL fetcher that serves the vendored static files only
(every network and file URL is refused). The PDF is written to a temporary file, then renamed
into private storage under the submission's row lock in the transaction that records it, so a
worker killed mid-render leaves nothing half-written, a second render of the same submission
never replaces the stored file, and the sweeper (beat) publishes what is still missing.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import StoredFile
from accounts.queue import publish_after_commit
from forms_imm.sections import FORMS, section_rows, sections_for
from forms_imm.spec import SectionContext

from .models import ApplicationEvent, DraftExport, SignatureEvent, Submission

logger = logging.getLogger(__name__)
BASE_URL = "https://package.invalid/"
PACKAGE_FOLDER = "submission-packages"
PART_SUFFIX = ".part"
# A published task not started after this is published again (the sweep runs every minute).
PACKAGE_REPUBLISH_AFTER = timedelta(seconds=60)
# Longer than a render may take (CELERY_TASK_TIME_LIMIT, 180 s): a claim or a ``.part`` file
# this old belongs to a worker that died.
PACKAGE_RENDER_STALE = timedelta(minutes=5)
PACKAGE_SWEEP_BATCH = 100


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    _strict_pillow()

    class StaticOnlyFetcher(URLFetcher):
        """Serves ``{STATIC_URL}...`` from the vendored static files; refuses the rest."""

        def fetch(self, url, headers=None):
            prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
            if not url.startswith(prefix):
                raise ValueError("only vendored static files are allowed in the package")
            relative = url[len(prefix) :].split("?")[0]
            found = finders.find(relative) if ".." not in relative else None
            if not found:
                raise ValueError("static file not found")
            mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=Path(found).read_bytes(), headers={"Content-Type": mime}
            )

    return StaticOnlyFetcher()


def forms_html(application, *, people, rows, today, draft: bool = False) -> list[str]:
    """One HTML document per digital form each person needs, with its print template.

    In the package every form is complete; a draft (``draft=True``) says which forms are not
    complete yet and carries the "draft, not submitted" mark on every page."""
    documents = []
    for person_form in sections_for(application, people=people, rows=rows, today=today):
        spec = person_form.form
        person = person_form.person
        context = SectionContext(application=application, person=person, today=today)
        answers = {s.section.slug: s.row.data for s in person_form.sections if s.row}
        complete = not draft or all(
            s.row is not None and s.row.state == "complete"
            for s in person_form.sections
            if s.section.required
        )
        documents.append(
            render_to_string(
                spec.print_template,
                {
                    "application": application,
                    "form_spec": spec,
                    "person": person,
                    "complete": complete,
                    "draft_mark": draft,
                    **spec.print_context(answers, context),
                },
            )
        )
    return documents


def package_html(submission: Submission) -> list[str]:
    """The HTML documents of the package, in order (one per form, then the evidence)."""
    application = submission.application
    people = list(application.people.order_by("created_at", "id"))
    rows = section_rows(application, with_data=True)
    today = timezone.localdate(submission.submitted_at)
    documents = forms_html(application, people=people, rows=rows, today=today)
    names = {p.public_id: p.full_name for p in people}
    signatures = list(
        SignatureEvent.objects.filter(application=application)
        .select_related("invalidation")
        .defer("content_json")
        .order_by("signed_at", "id")
    )
    for event in signatures:
        event.subject_name = names.get(event.subject_public_id, "")
        event.signer_name = names.get(event.signer_person_public_id, "")
    documents.append(
        render_to_string(
            "applications/package/evidence.html",
            {
                "application": application,
                "submission": submission,
                "people": people,
                "signatures": signatures,
                "forms": {key: spec for key, spec in FORMS.items()},
                "files": sorted(submission.manifest.get("files", {}).items()),
                "form_hashes": sorted(submission.manifest.get("forms", {}).items()),
            },
        )
    )
    return documents


def pdf_render(documents: list[str]) -> bytes:
    """One PDF of the HTML ``documents`` in order, each rendered with the static-only fetcher
    (also used for the eCOPR, applications.ecopr)."""
    from weasyprint import HTML

    _strict_pillow()

    fetcher = _fetcher()
    rendered = [
        HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render() for html in documents
    ]
    pages = [page for document in rendered for page in document.pages]
    return rendered[0].copy(pages).write_pdf()


def package_render(submission: Submission) -> bytes:
    with translation.override("en"):
        return pdf_render(package_html(submission))


def draft_html(application) -> list[str]:
    """A draft export (issue 8 item 4): a cover page, then every digital form as completed
    so far; every page says "draft, not submitted"."""
    people = list(application.people.order_by("created_at", "id"))
    rows = section_rows(application, with_data=True)
    now = timezone.now()
    forms = forms_html(
        application, people=people, rows=rows, today=timezone.localdate(now), draft=True
    )
    cover = render_to_string(
        "applications/package/draft_cover.html",
        {"application": application, "people": people, "generated_at": now, "draft_mark": True},
    )
    return [cover, *forms]


def draft_render(application) -> bytes:
    """The draft as one PDF, in the language of the request (the representative's)."""
    return pdf_render(draft_html(application))


# A second click while an export is being prepared shows that export instead of queuing another.
DRAFT_EXPORT_REUSE = timedelta(minutes=5)
DRAFT_EXPORT_MAX_ATTEMPTS = 8


def draft_export_request(*, application, actor, language: str) -> DraftExport:
    """Queue a PDF of the draft ``application`` (the caller's door checked access) on the pdf
    queue; the row says it is pending until the file is stored."""
    from .tasks import draft_export_pdf_task

    with transaction.atomic():
        recent = (
            DraftExport.objects.filter(
                application=application,
                requested_by=actor,
                file__isnull=True,
                requested_at__gte=timezone.now() - DRAFT_EXPORT_REUSE,
            )
            .order_by("-requested_at")
            .first()
        )
        if recent is not None:
            return recent
        export = DraftExport.objects.create(
            application=application, requested_by=actor, language=language
        )
        publish_after_commit(draft_export_pdf_task, export.pk)
    return export


def draft_export_build(*, export_id: int) -> str:
    """Render and store one draft export (idempotent: a stored file is kept)."""
    export = DraftExport.objects.select_related(
        "application__program__intake", "application__principal_applicant"
    ).get(pk=export_id)
    if export.file_id is not None:
        return "exists"
    DraftExport.objects.filter(pk=export.pk).update(attempts=export.attempts + 1)
    with translation.override(export.language):
        content = draft_render(export.application)
    name = pdf_file_write(f"draft-exports/{export.public_id}.pdf", content)
    with transaction.atomic():
        locked = DraftExport.objects.select_for_update().get(pk=export.pk)
        if locked.file_id is not None:
            return "exists"
        stored = _stored_pdf(
            name,
            content,
            display_name=f"draft-{timezone.localdate(export.requested_at):%Y-%m-%d}.pdf",
            uploaded_by=export.requested_by,
            purpose="draft_export",
        )
        DraftExport.objects.filter(pk=export.pk).update(
            file=stored, status=DraftExport.Status.READY
        )
    return "rendered"


def draft_export_failed(*, export_id: int) -> None:
    DraftExport.objects.filter(pk=export_id, file__isnull=True).update(
        status=DraftExport.Status.FAILED
    )


def pending_draft_exports() -> list[int]:
    """Draft exports still without a file, oldest first (the sweeper publishes them again);
    a minute's grace leaves the first attempt to its own task."""
    cutoff = timezone.now() - timedelta(minutes=1)
    return list(
        DraftExport.objects.filter(
            file__isnull=True, requested_at__lt=cutoff, attempts__lt=DRAFT_EXPORT_MAX_ATTEMPTS
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)[:100]
    )


def submission_package_build(*, submission_id: int) -> str:
    """Render and store one submission's package, once.

    The render is claimed first with a conditional UPDATE, so a duplicate task (the sweeper
    republishing, a redelivered message) stops at once while another render runs; a claim
    older than ``PACKAGE_RENDER_STALE`` belonged to a worker that died. Returns "rendered",
    "exists" (a package is stored already) or "busy"."""
    submission = Submission.objects.select_related(
        "application__program", "application__principal_applicant", "application__client__user"
    ).get(pk=submission_id)
    if submission.package_id is not None:
        return "exists"
    claimed_at = timezone.now()
    claimed = (
        Submission.objects.filter(pk=submission.pk, package__isnull=True)
        .filter(
            Q(package_claimed_at__isnull=True)
            | Q(package_claimed_at__lt=claimed_at - PACKAGE_RENDER_STALE)
        )
        .update(package_claimed_at=claimed_at, package_attempts=F("package_attempts") + 1)
    )
    if not claimed:
        return "busy"  # another task is rendering it (or has just stored it)
    try:
        return _build(submission)
    except BaseException:
        Submission.objects.filter(pk=submission.pk, package_claimed_at=claimed_at).update(
            package_claimed_at=None
        )
        raise


def _build(submission: Submission) -> str:
    content = package_render(submission)
    digest = hashlib.sha256(content).hexdigest()
    name = package_name(submission)
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # object storage: an upload is atomic already
        target = None
        name = default_storage.save(name, ContentFile(content))
    else:
        temporary = _write_temporary(target, content)
    try:
        with transaction.atomic():
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if locked.package_id is not None:
                if target is None:
                    default_storage.delete(name)
                return "exists"  # another render won: its file stays, ours goes
            if target is not None:
                # Renamed under the row lock, so a second render of the same submission (a
                # republished task) can never replace the file the stored hash describes.
                os.replace(temporary, target)
            stored = StoredFile.objects.create(
                file=name,
                kind="pdf",
                sha256=digest,
                size=len(content),
                display_name=f"{submission.application_number}-package.pdf",
                uploaded_by=submission.submitted_by,
                purpose="submission_package",
            )
            Submission.objects.filter(pk=submission.pk).update(
                package=stored, package_status=Submission.PackageStatus.READY
            )
            ApplicationEvent.objects.create(
                application=submission.application,
                action=ApplicationEvent.Action.PACKAGE_READY,
                at=timezone.now(),
                reason=f"submission_{submission.number}",
            )
    finally:
        if target is not None:
            temporary.unlink(missing_ok=True)  # gone already once renamed
    return "rendered"


def pdf_file_write(name: str, content: bytes) -> str:
    """Write ``content`` to private storage as ``name`` without ever leaving half a file;
    returns the stored name."""
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # object storage: an upload is atomic already
        return default_storage.save(name, ContentFile(content))
    temporary = _write_temporary(target, content)
    try:
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return name


def _stored_pdf(name: str, content: bytes, *, display_name: str, uploaded_by, purpose: str):
    """The ``StoredFile`` row of a PDF already written under ``name`` by ``pdf_file_write``."""
    return StoredFile.objects.create(
        file=name,
        kind="pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        display_name=display_name,
        uploaded_by=uploaded_by,
        purpose=purpose,
    )


def package_name(submission: Submission) -> str:
    """Where a submission's package is stored: one name per submission and manifest."""
    return f"{PACKAGE_FOLDER}/{submission.public_id}-{submission.manifest_sha256[:16]}.pdf"


def _write_temporary(target: Path, content: bytes) -> Path:
    """Write ``content`` to a ``.part`` file next to ``target``, flushed to disk; the caller
    renames it. A worker killed meanwhile leaves only the ``.part`` file, which readers never
    see and the sweeper removes once it is old."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=PART_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def submission_package_failed(*, submission_id: int) -> None:
    Submission.objects.filter(pk=submission_id, package__isnull=True).update(
        package_status=Submission.PackageStatus.FAILED, package_claimed_at=None
    )


def pending_packages() -> list[int]:
    """Submissions still without a package, whose last task was published more than
    ``PACKAGE_REPUBLISH_AFTER`` ago and that no live render has claimed: the sweeper
    publishes them again."""
    now = timezone.now()
    return list(
        Submission.objects.filter(
            Q(package_claimed_at__isnull=True)
            | Q(package_claimed_at__lt=now - PACKAGE_RENDER_STALE),
            package__isnull=True,
            package_published_at__lte=now - PACKAGE_REPUBLISH_AFTER,
        )
        .order_by("package_published_at", "pk")
        .values_list("pk", flat=True)[:PACKAGE_SWEEP_BATCH]
    )


def package_sweep() -> list[int]:
    """Publish the missing packages again and remove ``.part`` files left by killed workers.

    Returns the IDs published; stops at the first broker error (the next sweep tries again).
    Rendering is idempotent, so a task published twice stores one package.
    """
    from kombu.exceptions import OperationalError

    from .tasks import submission_package_render_task

    _remove_orphaned_parts()
    published = []
    for submission_id in pending_packages():
        try:
            submission_package_render_task.apply_async(args=(submission_id,), retry=False)
        except (OperationalError, ConnectionError, TimeoutError, OSError):
            logger.warning("package sweep: broker unreachable", extra={"object_id": submission_id})
            break
        published.append(submission_id)
    if published:
        Submission.objects.filter(pk__in=published).update(package_published_at=timezone.now())
    return published


def _remove_orphaned_parts() -> None:
    """A ``.part`` file older than the longest render belongs to a worker that died."""
    try:
        folder = Path(default_storage.path(PACKAGE_FOLDER))
    except NotImplementedError:  # object storage keeps no partial uploads
        return
    if not folder.is_dir():
        return
    cutoff = timezone.now().timestamp() - PACKAGE_RENDER_STALE.total_seconds()
    for part in folder.glob(f"*{PART_SUFFIX}"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:  # its render finished or another sweep removed it
            continue


def _strict_pillow() -> None:
    """Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would let the
    upload pipeline accept truncated images in any process that rendered a package (the web
    process too, where tasks run in-process). Every image it embeds already passed that
    pipeline, so the strict default loses nothing."""
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
