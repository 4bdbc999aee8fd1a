"""Plain text, HTML, Word, PDF and the same normalisation on every way in."""

import pytest
from rest_framework.test import APIClient

from sources.models import Source
from tests.factories import UserFactory
from tests.interchange.files import blank_pdf_bytes, docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_text_file_loses_its_bom_and_windows_newlines_and_is_nfc(project, load):
    report = load("note.txt", "\ufeffTitle line\r\nCafe\u0301 body\rend\r\n".encode())
    assert report.status == "imported" and report.sources_created == 1
    source = Source.objects.get(project=project)
    assert source.text == "Title line\nCafé body\nend\n"
    assert source.title == "Title line"
    assert source.imported_from == "note.txt"


def test_a_first_line_too_long_for_a_title_leaves_the_file_name(project, load):
    load("long-opening.txt", ("word " * 60 + "\nSecond line").encode())
    assert Source.objects.get(project=project).title == "long-opening"


def test_bad_encoding_is_reported_with_its_byte_offset_and_writes_nothing(project, load):
    report = load("cp1251.txt", "Москва".encode("cp1251"))
    assert report.status == "failed"
    assert "not valid UTF-8 (byte 0xcc at offset 0)" in report.error
    assert not Source.objects.exists()


def test_the_same_text_is_skipped_in_the_project_and_within_one_batch(project, load):
    load("a.txt", b"Same\ntext")
    report = load("b.txt", b"Same\r\ntext")
    assert report.sources_created == 0 and report.duplicates_skipped == 1
    rows = b"text,title\nOne row,a\nOne row,b\nOther,c\n"
    report = load("rows.csv", rows)
    assert (report.sources_created, report.duplicates_skipped) == (2, 1)


def test_the_json_create_normalises_like_an_upload(project):
    client = APIClient()
    client.force_authenticate(project.members.get(username="lead"))
    url = f"/api/projects/{project.pk}/sources/"
    response = client.post(url, {"title": "t", "text": "\ufeffA\r\nB\u0065\u0301"}, format="json")
    assert response.status_code == 201, response.json()
    assert Source.objects.get().text == "A\nBé"
    again = client.post(url, {"title": "t", "text": "A\nBé"}, format="json")
    assert again.status_code == 400 and "already has this text" in str(again.json())


HTML = b"""<!doctype html><html lang="en"><head><title>Attack claim analysis | Monitor</title>
<meta name="author" content="Jane Analyst"><meta property="og:site_name" content="The Monitor">
<meta property="article:published_time" content="2024-03-25T10:00:00Z">
<link rel="canonical" href="https://monitor.example.org/claims/crocus">
<script>document.write('injected')</script></head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<div class="cookie-banner">We use cookies. Accept all cookies?</div>
<article><h1>Attack claim analysis</h1>
<p>The group's news agency published a claim of responsibility within hours of the attack.</p>
<p>State media, however, pointed to Ukraine without evidence, repeating the line for days.</p>
<p>Analysts compared the two narratives and their spread through channels in two languages.</p>
</article><aside>Read our latest report on extremism!</aside>
<footer>Copyright 2024 The Monitor. All rights reserved.</footer></body></html>"""


def test_an_html_page_brings_its_article_and_metadata_without_the_page_around_it(project, load):
    report = load("page.html", HTML)
    assert report.status == "imported", report.error
    source = Source.objects.get(project=project)
    assert "claim of responsibility" in source.text
    for chrome in ("About us", "cookies", "latest report", "Copyright", "injected"):
        assert chrome not in source.text
    assert (source.title, source.author, source.outlet) == (
        "Attack claim analysis",
        "Jane Analyst",
        "The Monitor",
    )
    assert source.url == "https://monitor.example.org/claims/crocus"
    assert str(source.published) == "2024-03-25"
    assert source.kind == "news_article"


def test_a_page_without_an_article_falls_back_to_visible_text_with_a_warning(project, load):
    page = b"<html><body><script>x()</script><footer>Only a footer line</footer></body></html>"
    report = load("footer.htm", page)
    assert report.status == "imported", report.error
    assert Source.objects.get(project=project).text == "Only a footer line"
    assert any("all visible text" in warning for warning in report.warnings)


def test_a_word_document_brings_paragraphs_and_table_cells_in_order(project, load):
    data = docx_bytes(
        ["First paragraph.", "Second paragraph."], [["a1", "b1"], ["a2", "b2"]], "Report"
    )
    report = load("report.docx", data)
    assert report.status == "imported", report.error
    source = Source.objects.get(project=project)
    assert source.text == "First paragraph.\nSecond paragraph.\na1\nb1\na2\nb2\nAfter the table."
    assert (source.title, source.author) == ("Report", "Jane Analyst")


def test_a_doc_that_is_not_docx_is_refused(project, load):
    report = load("old.docx", b"\xd0\xcf\x11\xe0 not a zip")
    assert report.status == "failed" and "not a .docx" in report.error


def test_a_pdf_brings_its_text_layer(project, load):
    report = load("report.pdf", pdf_bytes(["Monitoring report", "Second line"], "PDF title"))
    assert report.status == "imported", report.error
    source = Source.objects.get(project=project)
    assert source.text == "Monitoring report\nSecond line"
    assert (source.title, source.kind) == ("PDF title", "research_report")


def test_a_pdf_without_a_text_layer_asks_for_ocr(project, load):
    report = load("scan.pdf", blank_pdf_bytes())
    assert report.status == "failed" and "no text layer" in report.error and "OCR" in report.error
    assert not Source.objects.exists()


def test_an_unknown_format_is_named(project, load):
    report = load("image.png", b"\x89PNG....")
    assert report.status == "failed" and "not a format" in report.error


def test_a_user_given_kind_overrides_detection(project, load):
    report = load("notes.md", b"# Heading\nBody", kind="text")
    assert report.status == "imported"
    assert UserFactory._meta.model.objects.filter(is_active=False).count() == 0
