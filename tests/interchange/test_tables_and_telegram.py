"""Tables (CSV, XLSX, JSONL with doccano spans) and Telegram channel exports."""

import json

import pytest
from django.conf import settings
from django.db import connection

from annotations.models import Annotation
from interchange import services
from interchange.formats import tables
from interchange.formats.incoming import Unreadable, Upload
from interchange.formats.text import CHECK_CHUNK, check_utf8
from sources.models import Source
from tests.interchange.conftest import FIXTURES
from tests.interchange.files import xlsx_bytes, zip_bytes

pytestmark = pytest.mark.django_db

CSV = (
    "id;headline;body;Source;date;lang;shares\r\n"
    '7;Claim posted;"Text of the claim,\r\nover two lines";Amaq;2024-03-23;ar;120\r\n'
    "8;Denial;Text of the denial;TASS;2024-03-24T10:00:00;ru;5\r\n"
).encode("utf-8-sig")


def test_a_csv_gets_a_proposed_mapping_and_keeps_other_columns_as_metadata(project, load):
    preview = tables.preview(Upload("posts.csv", CSV))
    assert preview["header"] == ["id", "headline", "body", "Source", "date", "lang", "shares"]
    assert preview["mapping"] == {
        "text": "body",
        "title": "headline",
        "outlet": "Source",
        "published": "date",
        "language": "lang",
    }
    report = load("posts.csv", CSV)
    assert report.status == "imported", report.error
    claim, denial = Source.objects.filter(project=project).order_by("id")
    assert claim.text == "Text of the claim,\nover two lines"
    assert (claim.title, claim.outlet, str(claim.published), claim.language) == (
        "Claim posted",
        "Amaq",
        "2024-03-23",
        "ar",
    )
    assert claim.metadata == {"id": "7", "shares": "120"}
    assert str(denial.published) == "2024-03-24"


def test_a_mapping_chosen_by_the_lead_wins(project, load):
    report = load("posts.csv", CSV, mapping={"text": "headline", "author": "Source"})
    assert report.status == "imported", report.error
    assert sorted(Source.objects.values_list("text", "author")) == [
        ("Claim posted", "Amaq"),
        ("Denial", "TASS"),
    ]


def test_a_table_without_a_text_column_is_refused_naming_its_columns(project, load):
    report = load("numbers.csv", b"id,count\n1,2\n")
    assert report.status == "failed"
    assert "no text column (columns: id, count)" in report.error
    assert not Source.objects.exists()


def test_an_xlsx_sheet_imports_one_source_per_row(project, load):
    data = xlsx_bytes(
        [
            ["Title", "Text", "URL"],
            ["First", "Body one", "https://a.example/1"],
            ["Second", "Body two", "ftp://x"],
        ]
    )
    report = load("sheet.xlsx", data)
    assert report.status == "imported", report.error
    assert sorted(Source.objects.values_list("title", "text", "url")) == [
        ("First", "Body one", "https://a.example/1"),
        ("Second", "Body two", ""),
    ]


def test_doccano_jsonl_brings_its_spans(project, load):
    text = "Gunmen attacked the hall 😀 in Krasnogorsk."
    place = text.index("Krasnogorsk")  # doccano counts code points: the emoji is one
    rows = [
        {"id": 1, "text": text, "label": [[0, 6, "Actor"], [place, place + 11, "Place"]]},
        {"id": 2, "text": "No labels here.", "label": []},
    ]
    data = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    report = load("doccano.jsonl", data, coder="alice")
    assert report.status == "imported", report.error
    assert (report.sources_created, report.annotations_created, report.codes_created) == (2, 2, 2)
    assert report.users_created == ["alice"]
    quotes = sorted(Annotation.objects.values_list("code__name", "quote", "coder__username"))
    assert quotes == [("Actor", "Gunmen", "alice"), ("Place", "Krasnogorsk", "alice")]


def test_a_jsonl_line_that_is_not_json_is_named(project, load):
    report = load("bad.jsonl", b'{"text": "ok"}\n{"text": \n')
    assert report.status == "failed" and "line 2: not valid JSON" in report.error
    assert not Source.objects.exists()


TELEGRAM = (FIXTURES / "telegram-result.json").read_bytes()


def test_a_telegram_export_makes_a_post_of_each_message_with_text(project, load):
    report = load("result.json", TELEGRAM)
    assert report.status == "imported", report.error
    assert report.sources_created == 3
    assert "2 message(s) without text" in report.warnings[0]
    posts = {source.metadata["message_id"]: source for source in Source.objects.all()}
    assert posts[2].text == (
        "Breaking: shooting reported at a concert hall near Moscow. #Krasnogorsk\n"
        "Details to follow."
    )
    assert posts[5].text == "State television blames Kyiv without evidence."
    claim = posts[3]
    assert (claim.kind, claim.outlet, str(claim.published)) == (
        "social_media_post",
        "Monitoring Desk",
        "2024-03-23",
    )
    assert claim.metadata["edited"] == "2024-03-23T08:10:12"
    assert claim.metadata["forwarded_from"] == "Amaq Watch"
    assert claim.metadata["views"] == 9811
    assert claim.metadata["channel_id"] == 1876543210
    assert posts[5].metadata["reply_to_message_id"] == 3


def test_a_zipped_telegram_export_folder_imports_the_same(project, load):
    data = zip_bytes(
        {"ChatExport_2024-03-25/result.json": TELEGRAM, "ChatExport_2024-03-25/photos/p.jpg": b"x"}
    )
    report = load("ChatExport.zip", data)
    assert report.status == "imported", report.error
    assert report.sources_created == 3


def test_a_telegram_export_naming_its_channel_after_the_messages_keeps_the_name(project, load):
    export = json.loads(TELEGRAM)
    reordered = {"messages": export["messages"], "name": export["name"], "id": export["id"]}
    data = b"\xef\xbb\xbf" + json.dumps(reordered, ensure_ascii=False).encode()
    report = load("result.json", data)
    assert report.status == "imported", report.error
    post = Source.objects.get(metadata__message_id=3)
    assert (post.outlet, post.metadata["channel_id"]) == ("Monitoring Desk", 1876543210)


def test_a_telegram_export_cut_off_midway_imports_nothing(project, load):
    report = load("result.json", TELEGRAM[: len(TELEGRAM) * 2 // 3])
    assert report.status == "failed" and "is not valid JSON" in report.error
    assert not Source.objects.exists()


def test_a_telegram_export_with_a_bad_byte_names_its_offset(project, load):
    at = TELEGRAM.index(b"Breaking")
    report = load("result.json", TELEGRAM[:at] + b"\xff" + TELEGRAM[at:])
    assert report.status == "failed"
    assert f"byte 0xff at offset {at}" in report.error
    assert not Source.objects.exists()


def test_a_json_file_that_is_not_a_chat_export_is_refused(project, load):
    for data in (b'[{"messages": []}]', b'{"name": "x", "messages": {"id": 1}}', b'{"name": "x"}'):
        report = load("result.json", data, kind="telegram")
        assert report.status == "failed" and "not a Telegram chat export" in report.error


def test_the_utf8_check_reads_characters_split_across_its_slices():
    data = b"a" * (CHECK_CHUNK - 1) + "йй".encode()
    check_utf8(data, "result.json")
    with pytest.raises(Unreadable, match=f"byte 0xff at offset {len(data)}\\)"):
        check_utf8(data + b"\xff", "result.json")


def test_spans_on_a_later_copy_join_the_first_copy_written_in_an_earlier_chunk(
    project, load, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK", 2)
    rows = [
        {"text": "Repeated post.", "label": []},
        {"text": "Second post.", "label": [[0, 6, "Order"]]},
        {"text": "Third post.", "label": []},
        {"text": "Repeated post.", "label": [[0, 8, "Echo"]]},
        {"text": "Second post.", "label": [[7, 11, "Noun"]]},
    ]
    data = "\n".join(json.dumps(row) for row in rows).encode()
    report = load("posts.jsonl", data, coder="alice")
    assert report.status == "imported", report.error
    assert (report.sources_created, report.duplicates_skipped) == (3, 2)
    assert report.annotations_created == 3
    quotes = sorted(Annotation.objects.values_list("source__text", "quote", "code__name"))
    assert quotes == [
        ("Repeated post.", "Repeated", "Echo"),
        ("Second post.", "Second", "Order"),
        ("Second post.", "post", "Noun"),
    ]


def test_a_streamed_export_reports_progress_up_to_its_count(project, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    seen: list[tuple[int, int]] = []
    upload = Upload("result.json", TELEGRAM)
    report = services.import_upload(
        project=project, upload=upload, progress=lambda done, total: seen.append((done, total))
    )
    assert report.sources_created == 3
    assert seen[-1] == (3, 3)
    assert all(0 < done <= total for done, total in seen)


def test_an_import_leaves_no_inserted_text_in_the_connections_statement_counts(project, load):
    assert load("result.json", TELEGRAM).status == "imported"
    if connection.vendor == "postgresql":
        raw = connection.connection
        counted = b"".join(query for query, _ in raw._prepared._counts)
        assert b"concert hall" not in counted
        assert raw.prepare_threshold == settings.DATABASES["default"]["OPTIONS"].get(
            "prepare_threshold"
        )
