"""File work for documents: combining several uploads into one PDF, and rendering previews.

Both work on bytes that already passed the upload pipeline (applications/uploads.py). No
uploaded PDF is ever sent to a browser to be rendered there: previews are PNG images that
PDFium draws on the server (without forms or JavaScript support, so no script runs), cached
per stored file in private storage.
"""

import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import StoredFile

from .uploads import _PDFIUM_LOCK

logger = logging.getLogger(__name__)

PREVIEW_DPI = 100
PREVIEW_MAX_SIDE = 2000  # pixels: a poster-sized page is scaled down, never rendered huge
# Attempts for combining: (longest side of each image in pixels, JPEG quality). The first keeps
# images as they are; the next ones resample them to about 150 DPI and then 100 DPI on a
# letter-size page, as IRCC suggests for staying under the size limit.
COMBINE_ATTEMPTS = ((None, 90), (1650, 80), (1100, 70), (800, 60))


class CombineFailed(Exception):
    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def _image_page_pdf(content: bytes, *, max_side: int | None, quality: int) -> bytes:
    """One PDF page holding the image, at a resolution that makes it fit a letter page."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, "white")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        if max_side and max(image.size) > max_side:
            image.thumbnail((max_side, max_side))
        # At least 72 DPI; wide images get a higher resolution so the page is 8.5 × 11 inches
        # at most.
        dpi = max(72.0, image.width / 8.5, image.height / 11)
        out = io.BytesIO()
        image.save(out, "PDF", resolution=dpi, quality=quality)
        return out.getvalue()


def combine_into_pdf(files: list[tuple[str, bytes]], *, max_bytes: int) -> bytes:
    """One PDF with the pages of every file in order (PDF pages as they are, each image as a
    page). Images are reduced step by step until the result fits ``max_bytes``; raises
    CombineFailed("combine_too_large") when even the smallest attempt does not fit, and
    CombineFailed("combine_unreadable") when a file cannot be read."""
    import pikepdf

    for max_side, quality in COMBINE_ATTEMPTS:
        if max_side is not None and not any(kind != "pdf" for kind, _ in files):
            break  # only PDFs: nothing left to reduce
        sources = []
        try:
            combined = pikepdf.new()
            for kind, content in files:
                if kind != "pdf":
                    content = _image_page_pdf(content, max_side=max_side, quality=quality)
                source = pikepdf.open(io.BytesIO(content))
                sources.append(source)
                combined.pages.extend(source.pages)
            out = io.BytesIO()
            combined.save(
                out,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
        except Exception:
            logger.warning("combining failed while reading a file")
            raise CombineFailed("combine_unreadable") from None
        finally:
            for source in sources:
                source.close()
        result = out.getvalue()
        if len(result) <= max_bytes:
            return result
    raise CombineFailed("combine_too_large")


def pdf_has_text(content: bytes, *, pages: int = 3) -> bool:
    """Whether the first pages carry any text: IRCC's forms filled on a computer do; a form
    printed and scanned does not (uploads.md §2.12)."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(content)
        try:
            for index in range(min(pages, len(document))):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    if textpage.get_text_range().strip():
                        return True
                finally:
                    textpage.close()
                    page.close()
        finally:
            document.close()
    return False


# --- previews ---------------------------------------------------------------------------------


def preview_name(stored_file: StoredFile, page_number: int) -> str:
    return f"previews/{stored_file.public_id}/{page_number}.png"


def render_pdf_page(content: bytes, page_number: int) -> bytes:
    """Page ``page_number`` (from 1) as a PNG at about 100 DPI, never larger than
    PREVIEW_MAX_SIDE pixels on its longest side."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(content)
        try:
            page = document[page_number - 1]
            try:
                width, height = page.get_size()
                scale = min(PREVIEW_DPI / 72, PREVIEW_MAX_SIDE / max(width, height, 1))
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil()
                out = io.BytesIO()
                image.convert("RGB").save(out, "PNG", optimize=False)
                bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    return out.getvalue()


def preview_page_png(stored_file: StoredFile, page_number: int) -> bytes:
    """The cached PNG of a PDF page, rendered and stored the first time it is asked for."""
    name = preview_name(stored_file, page_number)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    with stored_file.file.open("rb") as source:
        content = source.read()
    png = render_pdf_page(content, page_number)
    saved = default_storage.save(name, ContentFile(png))
    if saved != name:  # another request rendered it at the same time
        default_storage.delete(saved)
    return png


def stored_bytes(stored_file: StoredFile) -> bytes:
    with stored_file.file.open("rb") as handle:
        return handle.read()


def upload_limit() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 4_000_000)
