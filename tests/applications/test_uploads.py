"""The upload pipeline (QUALITY.md §4): the generated corpus, exact limits, storage, serving."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path
from django.utils import translation
from PIL import Image

from accounts.models import AuditEvent, StoredFile
from applications import uploads
from applications.uploads import (
    MESSAGES,
    UploadField,
    UploadRejected,
    name_normalise,
    stored_file_response,
    upload_check,
    upload_store,
)
from tests.corpus import make_uploads as corpus

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")  # header ignored


def apply_case(case, settings) -> dict:
    options = dict(case.options)
    for name, value in options.pop("settings", {}).items():
        setattr(settings, name, value)
    options.setdefault("allowed_kinds", corpus.EVERYTHING)
    return options


def stored_paths() -> list[str]:
    root = Path(default_storage.location)
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


class DocumentForm(forms.Form):
    """How a page uses the pipeline: the field checks, the view stores only if valid."""

    def __init__(self, *args, actor=None, field_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"] = UploadField(**(field_options or {}))
        self.fields["document"].actor = actor


# --- The corpus -----------------------------------------------------------------------------


def test_the_corpus_has_at_least_40_bad_files_covering_every_refusal():
    assert len(corpus.BAD) >= 40
    assert len({case.id for case in corpus.BAD + corpus.GOOD}) == len(corpus.BAD + corpus.GOOD)
    assert {case.expect for case in corpus.BAD} == set(MESSAGES)


@pytest.mark.parametrize("case", corpus.BAD, ids=lambda case: case.id)
def test_each_bad_file_is_refused_with_its_own_message_and_nothing_is_stored(
    case, settings, rep_a_user
):
    name, content = case.make()
    options = apply_case(case, settings)
    form = DocumentForm(
        data={},
        files={"document": upload(name, content)},
        actor=rep_a_user,
        field_options=options,
    )

    assert not form.is_valid()
    [error] = form.errors.as_data()["document"]
    assert error.code == case.expect
    [message] = error.messages
    assert message == form.errors["document"][0] and "%(" not in message
    assert StoredFile.objects.count() == 0 and stored_paths() == []
    audit = AuditEvent.objects.get(action="file.rejected")
    assert audit.actor == rep_a_user and audit.reason == case.expect
    assert audit.outcome == "failure"


@pytest.mark.parametrize("case", corpus.GOOD, ids=lambda case: case.id)
def test_each_clean_control_file_is_accepted_and_stored_under_a_random_name(
    case, settings, rep_a_user
):
    name, content = case.make()
    checked = upload_check(upload(name, content), **apply_case(case, settings))
    assert checked.kind == case.expect

    stored = upload_store(checked, uploaded_by=rep_a_user, purpose="identity")

    assert re.fullmatch(rf"identity/[0-9a-f]{{32}}\.{checked.extension}", stored.file.name)
    with stored.file.open("rb") as handle:
        saved = handle.read()
    assert saved == checked.content
    assert stored.sha256 == hashlib.sha256(saved).hexdigest() == checked.sha256
    assert stored.size == len(saved) and stored.kind == case.expect
    assert stored.display_name == checked.display_name and stored.uploaded_by == rep_a_user
    assert AuditEvent.objects.filter(
        action="file.uploaded", actor=rep_a_user, object_id=stored.public_id
    ).exists()


def test_a_photo_loses_its_gps_and_camera_data_and_is_turned_upright():
    original = corpus.jpeg_with_gps()
    assert b"CANARY-Camera" in original

    checked = upload_check(upload("phone.jpg", original), allowed_kinds={"jpeg"})

    assert b"CANARY-Camera" not in checked.content
    image = Image.open(io.BytesIO(checked.content))
    assert dict(image.getexif()) == {}
    assert (checked.width, checked.height) == image.size == (32, 64)  # orientation applied


def test_image_uploads_are_re_encoded_not_copied():
    data = corpus.good_png() + b"trailing bytes a viewer would ignore"
    checked = upload_check(upload("scan.png", data), allowed_kinds={"png"})
    assert checked.content != data and b"trailing" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (64, 48)


def test_a_scripted_ircc_form_is_accepted_only_in_a_form_slot_and_flagged(rep_a_user):
    name, content = "imm0008.pdf", corpus.pdf_with(corpus._open_action_js)
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload(name, content), allowed_kinds={"pdf"})
    assert refused.value.code == "pdf_active_content"

    checked = upload_check(upload(name, content), allowed_kinds={"pdf"}, allow_active_pdf=True)
    stored = upload_store(checked, uploaded_by=rep_a_user, purpose="imm-forms")

    assert checked.flags == frozenset({"pdf_active_content"})
    assert stored.flags == ["pdf_active_content"] and stored.page_count == 1


def test_pdf_facts_are_recorded():
    checked = upload_check(
        upload("long.pdf", corpus.pdf_bytes(corpus.new_pdf(3))), allowed_kinds={"pdf"}
    )
    assert checked.page_count == 3 and checked.width is None and checked.flags == frozenset()


# --- Limits are exact and configurable ------------------------------------------------------


def test_the_size_limit_is_exact():
    at_limit = corpus.padded(corpus.good_pdf(), 1500)
    over = corpus.padded(corpus.good_pdf(), 1501)
    assert (
        upload_check(upload("a.pdf", at_limit), allowed_kinds={"pdf"}, max_bytes=1500).size == 1500
    )
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.pdf", over), allowed_kinds={"pdf"}, max_bytes=1500)
    assert refused.value.code == "too_large"


def test_the_default_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 1500
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.pdf", corpus.padded(corpus.good_pdf(), 1501)), allowed_kinds={"pdf"})
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["The file must be 0.0015 MB or smaller."]


def test_the_size_message_names_the_limit():
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.pdf", b"%PDF-" + b"0" * 4_000_000), allowed_kinds={"pdf"})
    assert refused.value.messages == ["The file must be 4 MB or smaller."]


def test_an_oversized_file_is_refused_without_being_read():
    class Huge(io.BytesIO):
        size = 10**9
        name = "huge.pdf"

        def read(self, *args):  # pragma: no cover - the point is that this never runs
            raise AssertionError("read a file already known to be too large")

    with pytest.raises(UploadRejected) as refused:
        upload_check(Huge(), allowed_kinds={"pdf"})
    assert refused.value.code == "too_large"


def test_the_pixel_limit_is_exact(settings):
    settings.IMAGE_MAX_PIXELS = 10_000
    exactly = corpus.image_bytes(Image.new("L", (100, 100)), "PNG")
    one_row_more = corpus.image_bytes(Image.new("L", (100, 101)), "PNG")

    assert upload_check(upload("a.png", exactly), allowed_kinds={"png"}).width == 100
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.png", one_row_more), allowed_kinds={"png"})
    assert refused.value.code == "image_too_many_pixels"


def test_the_photo_minimum_is_exact():
    photo = corpus.image_bytes(corpus.noise_image(420, 540), "JPEG")
    checked = upload_check(
        upload("p.jpg", photo), allowed_kinds={"jpeg"}, min_width=420, min_height=540
    )
    assert (checked.width, checked.height) == (420, 540)
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("p.jpg", photo), allowed_kinds={"jpeg"}, min_width=421)
    assert refused.value.code == "image_too_small"


def test_the_page_limit_is_exact(settings):
    settings.UPLOAD_PDF_MAX_PAGES = 3
    three = corpus.pdf_bytes(corpus.new_pdf(3))
    assert upload_check(upload("a.pdf", three), allowed_kinds={"pdf"}).page_count == 3


def test_the_site_allow_list_narrows_every_slot(settings):
    settings.UPLOAD_ALLOWED_KINDS = ["pdf"]
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.png", corpus.good_png()), allowed_kinds={"pdf", "png"})
    assert refused.value.code == "type_not_allowed"
    assert refused.value.messages == ["The file must be one of these types: PDF."]


@pytest.mark.deep
def test_40_megapixels_are_accepted_and_41_refused():
    forty = corpus.image_bytes(Image.new("L", (8000, 5000)), "PNG")
    forty_one = corpus.image_bytes(Image.new("L", (8000, 5125)), "PNG")
    assert upload_check(upload("a.png", forty), allowed_kinds={"png"}).width == 8000
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.png", forty_one), allowed_kinds={"png"})
    assert refused.value.code == "image_too_many_pixels"


@pytest.mark.deep
def test_a_docx_of_one_gigabyte_uncompressed_is_refused_before_extraction():
    bomb = corpus.huge_docx(1.0)
    assert len(bomb) < 4_000_000
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("bomb.docx", bomb), allowed_kinds={"docx"})
    assert refused.value.code == "office_too_large"


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("C:\\Users\\me\\passport.pdf", "passport.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1.tar.pdf", "_lpt1.tar.pdf"),
        ("Cafe\u0301 menu.pdf", "Café menu.pdf"),  # NFC
        ("  many   spaces  .pdf", "many spaces.pdf"),
        ("wow!@#$%^&*?.pdf", "wow.pdf"),
        ("a.pdf%00.exe", "a.pdf00.exe"),
        (".hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("", "file"),
    ],
)
def test_names_are_normalised_for_display(raw, expected):
    assert name_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["a\u202etxt.pdf", "a\x00.pdf", "a\nb.pdf", "a\u2066b.pdf"])
def test_names_with_control_or_direction_characters_are_refused(raw):
    with pytest.raises(UploadRejected) as refused:
        name_normalise(raw)
    assert refused.value.code == "name_invalid"


def test_the_name_cap_is_a_setting(settings):
    settings.UPLOAD_NAME_MAX_CHARS = 10
    assert name_normalise("abcdefghijkl.pdf") == "abcdef.pdf"


# --- The form field -------------------------------------------------------------------------


def test_the_field_tells_the_browser_what_it_accepts():
    attrs = UploadField(allowed_kinds={"pdf", "jpeg", "png"}).widget.attrs
    assert attrs["accept"] == ".pdf,.jpg,.jpeg,.png"
    assert attrs["data-max-bytes"] == "4000000"
    field = UploadField(allowed_kinds={"pdf"}, max_bytes=2_500_000)
    assert field.widget.attrs["accept"] == ".pdf"
    with translation.override("fr"):
        html = field.widget.render("document", None, field.widget.attrs)
    assert 'data-max-bytes="2500000"' in html
    assert 'data-too-large-message="Le fichier doit faire au plus 2,5 Mo."' in html


def test_a_valid_file_cleans_to_a_checked_upload():
    form = DocumentForm(
        data={},
        files={"document": upload("letter.pdf", corpus.good_pdf())},
        field_options={"allowed_kinds": {"pdf"}},
    )
    assert form.is_valid()
    checked = form.cleaned_data["document"]
    assert isinstance(checked, uploads.CheckedUpload) and checked.kind == "pdf"
    assert AuditEvent.objects.count() == 0


def test_a_missing_optional_file_is_fine_and_a_missing_required_one_is_not():
    optional = DocumentForm(data={}, field_options={"allowed_kinds": {"pdf"}, "required": False})
    required = DocumentForm(data={}, field_options={"allowed_kinds": {"pdf"}})
    assert optional.is_valid() and optional.cleaned_data["document"] is None
    assert not required.is_valid() and required.errors.as_data()["document"][0].code == "required"


def test_rejections_without_a_known_actor_are_not_audited():
    form = DocumentForm(
        data={}, files={"document": upload("x.pdf", b"")}, field_options={"allowed_kinds": {"pdf"}}
    )
    assert not form.is_valid()
    assert AuditEvent.objects.count() == 0


def test_a_rejection_survives_copying_and_pickling():
    import copy
    import pickle

    rejection = UploadRejected("too_large", size="4")
    for clone in (copy.deepcopy(rejection), pickle.loads(pickle.dumps(rejection))):  # noqa: S301
        assert isinstance(clone, UploadRejected) and clone.code == "too_large"
        assert clone.messages == ["The file must be 4 MB or smaller."]


def test_every_message_has_a_french_translation():
    for code, message in MESSAGES.items():
        with translation.override("en"):
            english = str(message)
        with translation.override("fr"):
            french = str(message)
        assert french != english, f"{code} has no French"


def test_messages_read_in_french_with_their_values():
    with pytest.raises(UploadRejected) as refused:
        upload_check(upload("a.gif", corpus.gif_js_polyglot()), allowed_kinds={"pdf", "png"})
    with translation.override("fr"):
        assert refused.value.messages == ["Le fichier doit être de l’un de ces types : PDF, PNG."]
    with pytest.raises(UploadRejected) as refused:
        upload_check(
            upload("a.pdf", b"%PDF-" + b"0" * 2_500_000),
            allowed_kinds={"pdf"},
            max_bytes=2_500_000 - 1,
        )
    with translation.override("fr"):
        assert refused.value.messages == ["Le fichier doit faire au plus 2,499999 Mo."]


# --- Storage --------------------------------------------------------------------------------


def test_the_purpose_must_be_a_short_slug(rep_a_user):
    checked = upload_check(upload("a.pdf", corpus.good_pdf()), allowed_kinds={"pdf"})
    for purpose in ("../etc", "Identity", "", "a" * 41, "a/b"):
        with pytest.raises(ValueError):
            upload_store(checked, uploaded_by=rep_a_user, purpose=purpose)
    assert stored_paths() == []


def test_a_failed_database_write_removes_the_file(rep_a_user, monkeypatch):
    checked = upload_check(upload("a.pdf", corpus.good_pdf()), allowed_kinds={"pdf"})

    def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(uploads, "audit_record", broken)
    with pytest.raises(RuntimeError):
        upload_store(checked, uploaded_by=rep_a_user, purpose="identity")
    assert StoredFile.objects.count() == 0 and stored_paths() == []


# --- Serving --------------------------------------------------------------------------------


def download(request, public_id):
    """Test-only view: a real caller fetches the file through its ownership-checked door."""
    stored = StoredFile.objects.get(public_id=public_id)
    return stored_file_response(stored, download_name=request.GET["name"], request=request)


urlpatterns = [path("download/<uuid:public_id>/", download)]


@pytest.mark.urls(__name__)
def test_a_download_is_an_attachment_that_cannot_run_and_is_audited(rep_a, rep_a_user):
    checked = upload_check(upload("relevé.pdf", corpus.good_pdf()), allowed_kinds={"pdf"})
    stored = upload_store(checked, uploaded_by=rep_a_user, purpose="identity")

    response = rep_a.get(
        f"/download/{stored.public_id}/",
        {"name": "Côté – Relevé d’emploi"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus.good_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Cote Releve demploi.pdf"; '
        "filename*=UTF-8''C%C3%B4t%C3%A9%20%E2%80%93%20Relev%C3%A9%20d%E2%80%99emploi.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="file.downloaded")
    assert event.actor == rep_a_user and event.object_id == stored.public_id
    assert event.ip == "203.0.113.7"


@pytest.mark.urls(__name__)
def test_a_hostile_download_name_cannot_break_the_header(rep_a, rep_a_user):
    checked = upload_check(upload("a.png", corpus.good_png()), allowed_kinds={"png"})
    stored = upload_store(checked, uploaded_by=rep_a_user, purpose="identity")

    response = rep_a.get(
        f"/download/{stored.public_id}/", {"name": '../x"; filename=evil.html\r\nSet-Cookie: a'}
    )

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="file.png"')
    assert "\r" not in disposition and "\n" not in disposition and 'evil.html"' not in disposition


MEMORY_PROBE = """
import os, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from applications.uploads import UploadRejected, upload_check
outcomes = []
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        upload_check(SimpleUploadedFile(os.path.basename(path), data),
                     allowed_kinds={"pdf", "jpeg", "png", "docx"})
        outcomes.append("accepted")
    except UploadRejected as rejection:
        outcomes.append(rejection.code)
print(" ".join(outcomes))
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
with open("/proc/self/status") as status:
    print(next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:")))
"""


@pytest.mark.deep
def test_the_heaviest_files_stay_under_256_mb_of_memory(tmp_path):
    import subprocess
    import sys

    smooth = Image.linear_gradient("L").resize((8000, 5000)).convert("RGB")  # 40 MP
    files = {
        "photo.jpg": corpus.image_bytes(smooth, "JPEG", quality=90),
        "scan.png": corpus.image_bytes(smooth, "PNG"),
        "bomb.docx": corpus.huge_docx(1.0),
        "flood.png": corpus.pixel_flood_png(),
        "long.pdf": corpus.pdf_bytes(corpus.new_pdf(500)),
    }
    paths = []
    for name, data in files.items():
        assert len(data) <= 4_000_000, name
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))

    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, *paths],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    outcomes, peak_mb = result.stdout.splitlines()[-2:]
    assert outcomes.split() == [
        "accepted", "accepted", "office_too_large", "image_too_many_pixels", "accepted"
    ]  # fmt: skip
    assert int(peak_mb) < 256, f"peak RSS {peak_mb} MB"


def test_a_truncated_image_is_refused_even_after_a_package_render_imported_weasyprint(
    settings, rep_a_user
):
    """Importing WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on; the pipeline
    must stay strict in a process that rendered a package (tasks run in-process in `make run`)."""
    import weasyprint  # noqa: F401  (the import is what flips the flag)
    from PIL import ImageFile

    from applications import package
    from tests.corpus.make_uploads import truncated_jpeg

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    try:
        form = DocumentForm(
            data={},
            files={"document": upload("photo.jpg", truncated_jpeg())},
            actor=rep_a_user,
            field_options={"allowed_kinds": {"jpeg", "png", "pdf"}},
        )
        assert not form.is_valid()
        assert form.errors.as_data()["document"][0].code == "image_corrupt"
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        package._strict_pillow()  # what every render does after importing WeasyPrint
        assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
