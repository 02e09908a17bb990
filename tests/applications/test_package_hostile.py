"""Hostile text in the submission package (issue 11 item 2, QUALITY.md §3): the package of an
application whose answers hold markup, script, URLs a renderer could fetch and a 100 KB text
renders, shows the text as text, and never opens a network or file URL."""

import socket
from unittest import mock

import pypdfium2
import pytest

from applications import package
from forms_imm.models import FormSection
from tests.applications.test_package import submitted  # noqa: F401,F811  (the submitted application)

pytestmark = pytest.mark.django_db

FETCHABLE = (
    '<img src="http://203.0.113.9/beacon.png"> <img src="file:///etc/passwd"> '
    '<link rel="stylesheet" href="https://203.0.113.9/x.css"> '
    "<style>@import url(file:///etc/shadow);</style>"
)
HOSTILE = f'<script>alert("pkg")</script> {FETCHABLE} \u202eRTL\u202c zero\u200bwidth Noël 🍁'
MARKER = "HOSTILE-PACKAGE-MARKER"
LONG = "Un texte très long, sans fin. " * 700  # 21 KB of words (the pages' own limit is lower)


@pytest.fixture
def hostile(submitted, application_a):  # noqa: F811
    submission = submitted
    # The answers as they stood at submission, with hostile text in a free-text answer and in
    # a table cell (written directly: the form pages' handling is tested in tests/forms_imm).
    pa = application_a.principal_applicant
    background = FormSection.objects.get(person=pa, form="imm5669", section="background")
    background.data = {**background.data, "details": f"{MARKER} {HOSTILE} {LONG}"}
    background.save(update_fields=["data"])
    history = FormSection.objects.get(person=pa, form="imm5669", section="history")
    rows = history.data["history"]
    rows[0] = {**rows[0], "activity": f"{MARKER}-ROW {HOSTILE}"}
    history.save(update_fields=["data"])
    return submission


def test_the_package_html_holds_the_hostile_text_escaped(hostile):
    html = "\n".join(package.package_html(hostile))
    assert f"{MARKER} &lt;script&gt;" in html  # the details box, whole
    assert "<td>HOSTILE-PACKAGE… (A" in html  # the table cell, cut, its rest in the annex
    assert "<script>alert" not in html
    assert '<img src="http://203.0.113.9' not in html and '<img src="file:' not in html
    assert "&lt;script&gt;alert(&quot;pkg&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;http://203.0.113.9/beacon.png&quot;&gt;" in html


REAL_FETCHER = package._fetcher


def recording_fetcher(asked: list):
    """The package's own fetcher, noting every URL it is asked for."""
    fetcher = REAL_FETCHER()
    real_fetch = fetcher.fetch

    def fetch(url, headers=None):
        asked.append(url)
        return real_fetch(url, headers)

    fetcher.fetch = fetch
    return fetcher


def no_network(*args, **kwargs):
    raise AssertionError(f"the renderer opened a socket: {args}")


def test_the_package_renders_the_text_and_never_fetches_it(hostile):
    asked = []
    with (
        mock.patch.object(package, "_fetcher", lambda: recording_fetcher(asked)),
        mock.patch.object(socket, "create_connection", no_network),
        mock.patch.object(socket.socket, "connect", no_network),
    ):
        pdf = package.package_render(hostile)
    assert pdf.startswith(b"%PDF-")
    static = package.BASE_URL.rstrip("/") + "/static/"
    assert all(url.startswith(static) for url in asked), asked
    document = pypdfium2.PdfDocument(pdf)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert MARKER in text
    assert '<script>alert("pkg")</script>' in " ".join(text.split())  # shown as text


def test_markup_that_reached_the_renderer_raw_is_refused_by_the_fetcher():
    """Even markup that reached the renderer unescaped could not read a file or the network."""
    from weasyprint import HTML

    asked = []
    with mock.patch.object(socket.socket, "connect", no_network):
        pdf = HTML(
            string=f"<p>{MARKER}</p>{FETCHABLE}",
            base_url=package.BASE_URL,
            url_fetcher=recording_fetcher(asked),
        ).write_pdf()
    assert pdf.startswith(b"%PDF-")
    assert any(url.startswith("file:") for url in asked)  # asked, refused, nothing read
    assert any(url.startswith("http://203.0.113.9") for url in asked)
