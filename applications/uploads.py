"""The upload pipeline: every upload in the portal goes through this module (QUALITY.md §4).

One small function per step, each refusing with a translated message and a code:

1. ``read_limited``: empty files and files over the limit (settings.UPLOAD_MAX_BYTES; exactly
   the limit is accepted) are refused, without reading more than limit + 1 bytes.
2. ``name_normalise``: NFC, path stripped, control and bidirectional characters refused,
   characters IRCC's portal chokes on removed, length capped keeping the extension.
3. ``kind_from_name`` and ``kind_from_content``: the extension and the magic bytes must name the
   same allowed kind (the Content-Type header is ignored); ``check_not_polyglot`` refuses a
   file that is also a ZIP archive.
4. ``check_image``: Pillow restricted to the one format, a pixel cap (the decompression-bomb
   warning is an error), verify, full decode, EXIF orientation applied, minimum size, then a
   re-encode that drops EXIF, GPS and every other metadata. The re-encoded bytes are stored.
5. ``check_pdf``: pikepdf; refuse password-protected, unparseable, page-less or over-long
   files, launch actions, embedded files and rich media, and (outside IRCC-form slots)
   JavaScript and automatic actions; ``pdf_render_first_page`` catches "ghost" PDFs.
6. ``check_doc`` and ``check_docx``: macros (oletools), ZIP limits checked before anything is
   extracted, external relationships and embedded objects refused, XML through defusedxml.

``upload_check`` runs them in that order and returns a ``CheckedUpload``; ``upload_store``
saves it in private storage under a random name; ``stored_file_response`` serves it as an
attachment. The caller's door does the access check. Quotas (step 1 of QUALITY.md §4) and
the malware scan (step 7) belong to the documents feature that calls this module.

Rejections are audited ("file.rejected" with the code) when ``upload_check`` is given an
``actor``; ``UploadField`` passes the ``actor`` its form sets on it.
"""

import hashlib
import io
import logging
import re
import secrets
import threading
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import StoredFile
from accounts.services import audit_record

# oletools narrates every file it opens at INFO; keep the logs to what matters.
logging.getLogger("olevba").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Kind:
    label: str  # shown to people
    extensions: tuple[str, ...]  # accepted name endings; the first is the canonical one
    content_type: str


KINDS = {
    "pdf": Kind("PDF", ("pdf",), "application/pdf"),
    "jpeg": Kind("JPG", ("jpg", "jpeg"), "image/jpeg"),
    "png": Kind("PNG", ("png",), "image/png"),
    "doc": Kind("DOC", ("doc",), "application/msword"),
    "docx": Kind(
        "DOCX",
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}

MESSAGES = {
    "empty": _("The selected file is empty."),
    "too_large": _("The file must be %(size)s MB or smaller."),
    "name_invalid": _(
        "The file name contains control or text-direction characters. Rename the file and try "
        "again."
    ),
    "type_not_allowed": _("The file must be one of these types: %(types)s."),
    "type_mismatch": _(
        "The file’s content does not match its name: it is not a real %(type)s file."
    ),
    "type_ambiguous": _(
        "The file is of more than one type at once, which is not accepted. Save it again as a "
        "plain %(type)s file."
    ),
    "image_corrupt": _("The image could not be read. It may be damaged or incomplete."),
    "image_too_many_pixels": _(
        "The image is too large: it must have at most %(megapixels)s million pixels."
    ),
    "image_too_small": _("The image must be at least %(width)s × %(height)s pixels."),
    "pdf_encrypted": _(
        "The PDF is protected by a password. Save a copy without the password and upload that."
    ),
    "pdf_corrupt": _(
        "The PDF could not be read. It may be damaged: save it again with a PDF tool and upload it."
    ),
    "pdf_no_pages": _("The PDF has no pages."),
    "pdf_too_many_pages": _("The PDF has more than %(limit)s pages. Split it or shorten it."),
    "pdf_embedded_content": _(
        "The PDF contains attached files, launch actions or multimedia, which are not accepted. "
        "Print it to a new PDF and upload that."
    ),
    "pdf_active_content": _(
        "The PDF contains scripts or automatic actions, which are not accepted here. Print it "
        "to a new PDF and upload that."
    ),
    "pdf_unreadable": _(
        "The PDF could not be displayed, so an officer could not read it either. Save it again "
        "with a PDF tool (not an online compressor) and upload it."
    ),
    "office_corrupt": _("The document could not be read. It may be damaged."),
    "office_too_large": _(
        "The document expands to more than the accepted size once opened, which is not accepted."
    ),
    "office_macros": _(
        "The document contains macros, which are not accepted. Save it as a document without "
        "macros and upload it again."
    ),
    "office_external": _(
        "The document links to a template or content outside the file, which is not accepted. "
        "Save a copy without the links and upload that."
    ),
    "office_embedded": _(
        "The document contains embedded objects or controls, which are not accepted. Remove "
        "them or save it as a PDF."
    ),
}


class UploadRejected(ValidationError):
    """A refused upload: always a ``code`` (a key of MESSAGES) and its translated message."""

    def __init__(self, code: str, **params):
        super().__init__(MESSAGES[code], code=code, params=params or None)

    def __reduce__(self):
        # Copies and pickles (form errors are deep-copied) rebuild from the code and values.
        return (_rebuild_rejection, (self.code, self.params or {}))


def _rebuild_rejection(code: str, params: dict) -> "UploadRejected":
    return UploadRejected(code, **params)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes  # what will be stored: for images, the re-encoded bytes
    kind: str  # "pdf" | "jpeg" | "png" | "doc" | "docx"
    extension: str  # canonical, without the dot
    sha256: str
    size: int
    page_count: int | None
    width: int | None
    height: int | None
    display_name: str  # normalised original name, for display and downloads only
    flags: frozenset[str]  # e.g. {"pdf_active_content"} when accepted in an IRCC-form slot


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _kind_labels(kinds) -> str:
    return ", ".join(KINDS[k].label for k in KINDS if k in kinds)


# --- 1. Size --------------------------------------------------------------------------------


def read_limited(uploaded_file, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing empty files and anything over ``max_bytes``."""
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise UploadRejected("too_large", size=_megabytes(max_bytes))
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    content = uploaded_file.read(max_bytes + 1)
    if not content:
        raise UploadRejected("empty")
    if len(content) > max_bytes:
        raise UploadRejected("too_large", size=_megabytes(max_bytes))
    return content


def _format_megabytes(size: int) -> str:
    return formats.number_format((Decimal(size) / 1_000_000).normalize())


# Formatted when the message is shown, in the reader's language: "2.5" or "2,5".
_megabytes = lazy(_format_megabytes, str)
_too_large_message = lazy(lambda size: MESSAGES["too_large"] % {"size": _megabytes(size)}, str)
_type_message = lazy(
    lambda kinds: MESSAGES["type_not_allowed"] % {"types": _kind_labels(kinds)}, str
)


# --- 2. Name --------------------------------------------------------------------------------

# Bidirectional overrides and isolates can disguise "fdp.exe" as "exe.pdf".
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters reported to break IRCC submissions (domain/uploads.md §2.4), plus path separators.
REMOVED_CHARACTERS = frozenset('!@#$%^&*/\\:?"<>|')
WINDOWS_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)


def name_normalise(raw_name: str, *, max_chars: int | None = None) -> str:
    """The display name: NFC, no path, no control characters, capped, extension kept."""
    max_chars = max_chars or _setting("UPLOAD_NAME_MAX_CHARS", 100)
    name = unicodedata.normalize("NFC", raw_name or "")
    if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in name):
        raise UploadRejected("name_invalid")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if c not in REMOVED_CHARACTERS and c not in "\u200b\ufeff")
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:10]
    if stem.split(".")[0].upper() in WINDOWS_DEVICE_NAMES:
        stem = f"_{stem}"
    room = max_chars - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or "file"
    return f"{stem}.{extension}" if extension else stem


# --- 3. Type --------------------------------------------------------------------------------

MAGIC = (
    ("pdf", b"%PDF-"),
    ("jpeg", b"\xff\xd8\xff"),
    ("png", b"\x89PNG\r\n\x1a\n"),
    ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ("docx", b"PK\x03\x04"),
)


def kind_from_name(display_name: str, *, allowed_kinds: set[str]) -> str:
    """The kind the extension names; refused unless it is allowed here."""
    extension = display_name.rpartition(".")[2].lower() if "." in display_name else ""
    for kind in allowed_kinds:
        if extension in KINDS[kind].extensions:
            return kind
    raise UploadRejected("type_not_allowed", types=_kind_labels(allowed_kinds))


def kind_from_content(content: bytes) -> str | None:
    """The kind the magic bytes name, or None."""
    for kind, magic in MAGIC:
        if content.startswith(magic):
            return kind
    return None


def check_kind_agrees(content: bytes, *, name_kind: str) -> None:
    if kind_from_content(content) != name_kind:
        raise UploadRejected("type_mismatch", type=KINDS[name_kind].label)


def check_not_polyglot(content: bytes, *, kind: str) -> None:
    """A PDF or image that is also a ZIP archive (a polyglot) is refused."""
    if kind != "docx" and zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadRejected("type_ambiguous", type=KINDS[kind].label)


# --- 4. Images ------------------------------------------------------------------------------


def check_image(
    content: bytes, *, kind: str, min_width: int | None = None, min_height: int | None = None
) -> tuple[bytes, int, int]:
    """Decode fully, apply orientation, check sizes, re-encode. Returns (bytes, width, height)."""
    from PIL import Image, ImageFile, ImageOps

    image_format = {"jpeg": "JPEG", "png": "PNG"}[kind]
    max_pixels = _setting("IMAGE_MAX_PIXELS", 40_000_000)
    Image.MAX_IMAGE_PIXELS = max_pixels
    # A truncated image is refused. WeasyPrint switches Pillow's process-wide flag on when it
    # is imported (applications.package switches it back); never decode leniently here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    megapixels = _megabytes(max_pixels)
    try:
        with warnings.catch_warnings():
            # The pixel check below is authoritative; this makes Pillow's own guard fail too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as probe:
                if probe.width * probe.height > max_pixels:
                    raise UploadRejected("image_too_many_pixels", megapixels=megapixels)
                probe.verify()
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.load()
                ImageOps.exif_transpose(image, in_place=True)  # no copy when upright
                width, height = image.size
                if (min_width and width < min_width) or (min_height and height < min_height):
                    raise UploadRejected(
                        "image_too_small", width=min_width or 0, height=min_height or 0
                    )
                return _reencode(image, image_format), width, height
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("image_too_many_pixels", megapixels=megapixels) from None
    except Exception:  # any decoder failure on hostile input is a refusal, never a 500
        raise UploadRejected("image_corrupt") from None


def _reencode(image, image_format: str) -> bytes:
    """Write a fresh file from the pixels only: no EXIF, GPS, ICC, text chunks or comments."""
    # Palette transparency is pixel data, not metadata: keep it.
    image.info = {k: v for k, v in image.info.items() if k == "transparency"}
    out = io.BytesIO()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG")
    return out.getvalue()


# --- 5. PDF ---------------------------------------------------------------------------------

# Refused in every slot.
PDF_EMBEDDED = "embedded"
# Refused unless the slot holds an IRCC form (allow_active_pdf), where it is flagged instead.
PDF_ACTIVE = "active"
PDF_KEYS = {
    "/EmbeddedFiles": PDF_EMBEDDED,
    "/EmbeddedFile": PDF_EMBEDDED,
    "/EF": PDF_EMBEDDED,
    "/RichMedia": PDF_EMBEDDED,
    "/RichMediaContent": PDF_EMBEDDED,
    "/RichMediaSettings": PDF_EMBEDDED,
    "/Launch": PDF_EMBEDDED,
    "/JavaScript": PDF_ACTIVE,
    "/JS": PDF_ACTIVE,
    "/AA": PDF_ACTIVE,
    "/XFA": PDF_ACTIVE,
}
# Name values: action types (/S), object types (/Type) and annotation subtypes (/Subtype).
PDF_NAME_VALUES = {
    "/Launch": PDF_EMBEDDED,
    "/GoToE": PDF_EMBEDDED,
    "/EmbeddedFile": PDF_EMBEDDED,
    "/RichMedia": PDF_EMBEDDED,
    "/FileAttachment": PDF_EMBEDDED,
    "/JavaScript": PDF_ACTIVE,
}
PDF_MAX_NODES = 2_000_000
_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe; gunicorn runs threads


def pdf_features(pdf) -> set[str]:
    """Which of PDF_EMBEDDED / PDF_ACTIVE the document contains, wherever they sit."""
    import pikepdf

    found: set[str] = set()
    stack = [pdf.trailer, *pdf.objects]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > PDF_MAX_NODES:
            raise UploadRejected("pdf_corrupt")
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            items = obj.items()
        elif isinstance(obj, pikepdf.Array):
            items = (("", value) for value in obj)
        else:
            continue
        for key, value in items:
            if key in PDF_KEYS:
                found.add(PDF_KEYS[key])
            if key == "/OpenAction" and _is_automatic_action(value):
                found.add(PDF_ACTIVE)
            if isinstance(value, pikepdf.Name) and key in ("/S", "/Type", "/Subtype"):
                category = PDF_NAME_VALUES.get(str(value))
                if category:
                    found.add(category)
            # Indirect objects are visited once, from pdf.objects.
            if (
                isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
                and not value.is_indirect
            ):
                stack.append(value)
    return found


def _is_automatic_action(value) -> bool:
    """An /OpenAction that does more than open at a page (a destination array or /GoTo)."""
    import pikepdf

    if isinstance(value, pikepdf.Dictionary):
        return str(value.get("/S", "")) != "/GoTo"
    return False


def pdf_render_first_page(content: bytes) -> None:
    """Render page 1 small with PDFium: a PDF that no viewer can show is refused."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(content)
            try:
                page = document[0]
                width, height = page.get_size()
                scale = min(1.0, 200 / max(width, height, 1))
                page.render(scale=scale).close()
                page.close()
            finally:
                document.close()
        except Exception:
            raise UploadRejected("pdf_unreadable") from None


def check_pdf(content: bytes, *, allow_active: bool = False) -> tuple[int, frozenset[str]]:
    """Structure, pages, embedded and active content. Returns (page count, flags)."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise UploadRejected("pdf_encrypted") from None
    except Exception:
        raise UploadRejected("pdf_corrupt") from None
    flags: set[str] = set()
    with pdf:
        try:
            pages = len(pdf.pages)
            found = pdf_features(pdf)
        except UploadRejected:
            raise
        except Exception:
            raise UploadRejected("pdf_corrupt") from None
    limit = _setting("UPLOAD_PDF_MAX_PAGES", 500)
    if pages == 0:
        raise UploadRejected("pdf_no_pages")
    if pages > limit:
        raise UploadRejected("pdf_too_many_pages", limit=limit)
    if PDF_EMBEDDED in found:
        raise UploadRejected("pdf_embedded_content")
    if PDF_ACTIVE in found:
        if not allow_active:
            raise UploadRejected("pdf_active_content")
        flags.add("pdf_active_content")
    pdf_render_first_page(content)
    return pages, frozenset(flags)


# --- 6. Word documents ----------------------------------------------------------------------


def check_doc(content: bytes) -> None:
    """A legacy Word document (OLE): must be Word, and must hold no VBA macros."""
    import olefile

    with warnings.catch_warnings():  # oletools' parser grammar uses deprecated pyparsing names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    try:
        with olefile.OleFileIO(content) as ole:
            is_word = ole.exists("WordDocument")
        parser = VBA_Parser("upload.doc", data=content)
        try:
            has_macros = parser.detect_vba_macros()
        finally:
            parser.close()
    except Exception:
        raise UploadRejected("office_corrupt") from None
    if not is_word:
        raise UploadRejected("type_mismatch", type=KINDS["doc"].label)
    if has_macros:
        raise UploadRejected("office_macros")


# Relationship types (the part after the last "/") that mean macros or embedded content.
DOCX_MACRO_RELATIONSHIPS = frozenset(["vbaProject", "wordVbaData", "keyMapCustomizations"])
DOCX_EMBEDDED_RELATIONSHIPS = frozenset(
    ["oleObject", "package", "control", "activeXControlBinary", "attachedObject"]
)
DOCX_RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOCX_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def check_zip_limits(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Entry count, declared sizes, compression ratio and paths, before extracting anything."""
    entries = archive.infolist()
    if len(entries) > _setting("UPLOAD_DOCX_MAX_ENTRIES", 1000):
        raise UploadRejected("office_too_large")
    max_ratio = _setting("UPLOAD_DOCX_MAX_RATIO", 100)
    total = compressed = 0
    for entry in entries:
        parts = re.split(r"[\\/]", entry.filename)
        if entry.filename.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", entry.filename):
            raise UploadRejected("office_corrupt")
        if ".." in parts:
            raise UploadRejected("office_corrupt")
        total += entry.file_size
        compressed += entry.compress_size
        if entry.file_size > 1_000_000 and entry.file_size > max_ratio * max(
            entry.compress_size, 1
        ):
            raise UploadRejected("office_too_large")
    if total > _setting("UPLOAD_DOCX_MAX_UNCOMPRESSED", 50_000_000):
        raise UploadRejected("office_too_large")
    if total > 1_000_000 and total > max_ratio * max(compressed, 1):
        raise UploadRejected("office_too_large")
    return entries


def _parse_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, keep: bool):
    """Parse one part with defusedxml (no DTDs, no entities). With ``keep``, the root element;
    otherwise the part is only checked, streaming, so a large document.xml stays cheap."""
    from defusedxml.ElementTree import fromstring, iterparse

    with archive.open(entry) as stream:
        if keep:
            return fromstring(stream.read(), forbid_dtd=True)
        for _event, element in iterparse(stream, forbid_dtd=True):
            element.clear()
    return None


def check_docx(content: bytes) -> None:
    """A Word 2007+ document: ZIP limits, no macros, no external links, no embedded objects."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception:
        raise UploadRejected("office_corrupt") from None
    with archive:
        entries = check_zip_limits(archive)
        names = {entry.filename.lower(): entry for entry in entries}
        if "[content_types].xml" not in names or "word/document.xml" not in names:
            raise UploadRejected("type_mismatch", type=KINDS["docx"].label)
        for name in names:
            if name.endswith(("vbaproject.bin", "vbadata.xml")):
                raise UploadRejected("office_macros")
            if name.startswith(("word/embeddings/", "word/activex/")):
                raise UploadRejected("office_embedded")
        try:
            parsed = {
                name: _parse_xml(archive, entry, keep=name.endswith((".rels", "types].xml")))
                for name, entry in names.items()
                if name.endswith((".xml", ".rels"))
            }
        except UploadRejected:
            raise
        except Exception:
            raise UploadRejected("office_corrupt") from None
    for element in parsed["[content_types].xml"].iter():
        if element.tag in (f"{DOCX_CONTENT_TYPES_NS}Default", f"{DOCX_CONTENT_TYPES_NS}Override"):
            content_type = element.get("ContentType", "").lower()
            if "macroenabled" in content_type or "vba" in content_type:
                raise UploadRejected("office_macros")
            if "oleobject" in content_type or "activex" in content_type:
                raise UploadRejected("office_embedded")
    for name, root in parsed.items():
        if not name.endswith(".rels") or root is None:
            continue
        for rel in root.iter(f"{DOCX_RELATIONSHIPS_NS}Relationship"):
            rel_type = rel.get("Type", "").rsplit("/", 1)[-1]
            if rel_type in DOCX_MACRO_RELATIONSHIPS:
                raise UploadRejected("office_macros")
            if rel_type in DOCX_EMBEDDED_RELATIONSHIPS:
                raise UploadRejected("office_embedded")
            if rel.get("TargetMode", "").lower() == "external" and rel_type != "hyperlink":
                raise UploadRejected("office_external")


# --- The pipeline ---------------------------------------------------------------------------


def upload_check(
    uploaded_file,
    *,
    allowed_kinds: set[str],
    max_bytes: int | None = None,
    min_width: int | None = None,
    min_height: int | None = None,
    allow_active_pdf: bool = False,
    actor=None,
) -> CheckedUpload:
    """Run every check on one uploaded file; raises UploadRejected.

    ``allowed_kinds`` narrows the site-wide allow-list (settings.UPLOAD_ALLOWED_KINDS) for this
    slot. ``allow_active_pdf`` is for IRCC-form slots: scripts are accepted and flagged.
    With an ``actor``, a rejection also writes an audit row "file.rejected" with its code.
    """
    try:
        return _upload_check(
            uploaded_file,
            allowed_kinds=allowed_kinds,
            max_bytes=max_bytes,
            min_width=min_width,
            min_height=min_height,
            allow_active_pdf=allow_active_pdf,
        )
    except UploadRejected as rejection:
        if actor is not None:
            audit_record(
                actor=actor, action="file.rejected", outcome="failure", reason=rejection.code
            )
        raise


def _upload_check(
    uploaded_file, *, allowed_kinds, max_bytes, min_width, min_height, allow_active_pdf
) -> CheckedUpload:
    site_kinds = set(getattr(settings, "UPLOAD_ALLOWED_KINDS", KINDS))
    allowed = {kind for kind in allowed_kinds if kind in KINDS and kind in site_kinds}
    max_bytes = max_bytes or _setting("UPLOAD_MAX_BYTES", 4_000_000)

    content = read_limited(uploaded_file, max_bytes=max_bytes)
    display_name = name_normalise(getattr(uploaded_file, "name", "") or "")
    kind = kind_from_name(display_name, allowed_kinds=allowed)
    check_kind_agrees(content, name_kind=kind)
    check_not_polyglot(content, kind=kind)

    page_count = width = height = None
    flags: frozenset[str] = frozenset()
    if kind in ("jpeg", "png"):
        content, width, height = check_image(
            content, kind=kind, min_width=min_width, min_height=min_height
        )
        if len(content) > max_bytes:
            raise UploadRejected("too_large", size=_megabytes(max_bytes))
    elif kind == "pdf":
        page_count, flags = check_pdf(content, allow_active=allow_active_pdf)
    elif kind == "doc":
        check_doc(content)
    else:
        check_docx(content)
    return CheckedUpload(
        content=content,
        kind=kind,
        extension=KINDS[kind].extensions[0],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        page_count=page_count,
        width=width,
        height=height,
        display_name=display_name,
        flags=flags,
    )


PURPOSE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def upload_store(checked: CheckedUpload, *, uploaded_by, purpose: str) -> StoredFile:
    """Save a checked upload in private storage under a random name, with its audit row.

    The storage name is "<purpose>/<32 random hex>.<canonical extension>", never the user's.
    """
    if not PURPOSE_PATTERN.fullmatch(purpose):
        raise ValueError("purpose must be a short lowercase slug")
    name = f"{purpose}/{secrets.token_hex(16)}.{checked.extension}"
    saved = default_storage.save(name, ContentFile(checked.content))
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                file=saved,
                kind=checked.kind,
                sha256=checked.sha256,
                size=checked.size,
                page_count=checked.page_count,
                width=checked.width,
                height=checked.height,
                display_name=checked.display_name,
                flags=sorted(checked.flags),
                uploaded_by=uploaded_by,
                purpose=purpose,
            )
            audit_record(actor=uploaded_by, action="file.uploaded", obj=stored)
    except Exception:
        default_storage.delete(saved)
        raise
    return stored


# --- Serving --------------------------------------------------------------------------------


def content_disposition(download_name: str, *, extension: str) -> str:
    """``attachment`` with an ASCII fallback and the RFC 6266 / RFC 5987 ``filename*``."""
    try:
        name = name_normalise(download_name)
    except UploadRejected:
        name = "file"
    if name.rpartition(".")[2].lower() != extension:
        name = f"{name}.{extension}"
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = " ".join(re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).split()) or f"file.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _request_meta(request) -> dict:
    """The client IP (through the trusted proxy, as allauth computes it) and request ID."""
    if request is None:
        return {}
    from allauth.account.adapter import get_adapter

    try:
        ip = get_adapter(request).get_client_ip(request)
    except Exception:
        ip = None
    request_id = getattr(request, "request_id", "") or request.META.get("HTTP_X_REQUEST_ID", "")
    if not REQUEST_ID_PATTERN.fullmatch(request_id or ""):
        request_id = ""
    return {"ip": ip, "request_id": request_id}


def stored_file_response(
    stored_file: StoredFile, *, download_name: str, request=None, actor=None
) -> FileResponse:
    """Serve a stored file as a download. The CALLER's door has already checked access.

    Attachment only, never rendered inline: ``nosniff``, a ``sandbox`` CSP and ``no-store``.
    Writes an audit row "file.downloaded".
    """
    kind = KINDS[stored_file.kind]
    response = FileResponse(
        stored_file.file.open("rb"), as_attachment=True, content_type=kind.content_type
    )
    response["Content-Disposition"] = content_disposition(
        download_name, extension=kind.extensions[0]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "no-store"
    if actor is None and request is not None:
        actor = request.user
    audit_record(actor=actor, action="file.downloaded", obj=stored_file, **_request_meta(request))
    return response


# --- Forms ----------------------------------------------------------------------------------


class UploadField(forms.FileField):
    """A file field whose ``clean()`` runs the pipeline and returns a ``CheckedUpload``.

    To audit rejections, the form sets ``self.fields[name].actor = user`` in its __init__.
    """

    def __init__(
        self,
        *,
        allowed_kinds,
        min_width=None,
        min_height=None,
        allow_active_pdf=False,
        max_bytes=None,
        **kwargs,
    ):
        self.allowed_kinds = set(allowed_kinds)
        self.min_width, self.min_height = min_width, min_height
        self.allow_active_pdf = allow_active_pdf
        self.max_bytes = max_bytes
        self.actor = None
        kwargs.setdefault("allow_empty_file", True)  # the pipeline refuses it, with its message
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        extensions = [
            f".{extension}"
            for kind in KINDS
            if kind in self.allowed_kinds
            for extension in KINDS[kind].extensions
        ]
        max_bytes = self.max_bytes or _setting("UPLOAD_MAX_BYTES", 4_000_000)
        attrs["accept"] = ",".join(extensions)
        # For static/js/upload_check.js; the message is translated when the page renders.
        attrs["data-max-bytes"] = str(max_bytes)
        attrs["data-too-large-message"] = _too_large_message(max_bytes)
        attrs["data-type-message"] = _type_message(frozenset(self.allowed_kinds))
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value or isinstance(value, CheckedUpload) or value is initial:
            return value
        return upload_check(
            value,
            allowed_kinds=self.allowed_kinds,
            max_bytes=self.max_bytes,
            min_width=self.min_width,
            min_height=self.min_height,
            allow_active_pdf=self.allow_active_pdf,
            actor=self.actor,
        )
