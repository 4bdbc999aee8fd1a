import pytest
from django.core.management import CommandError, call_command

from sources.models import Source
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a.txt").write_text("Claim of responsibility\n\nThe agency published a claim.\n")
    (tmp_path / "b.txt").write_text("\n  Windows newline title\r\nBody line.\r\n", newline="")
    return tmp_path


def test_it_imports_each_file_with_its_first_line_as_title(folder):
    project = ProjectFactory()
    call_command("import_sources", str(folder), project=project.name)
    sources = {source.title: source for source in Source.objects.filter(project=project)}
    assert set(sources) == {"Claim of responsibility", "Windows newline title"}
    assert sources["Windows newline title"].text == "\n  Windows newline title\nBody line.\n"
    assert sources["Claim of responsibility"].imported_from == "a.txt"


def test_reimporting_the_same_folder_adds_nothing(folder, capsys):
    project = ProjectFactory()
    call_command("import_sources", str(folder), project=project.name)
    call_command("import_sources", str(folder), project=str(project.pk))
    assert Source.objects.filter(project=project).count() == 2
    assert "2 duplicate(s) skipped" in capsys.readouterr().out


def test_duplicates_within_one_folder_are_imported_once(tmp_path):
    (tmp_path / "one.txt").write_text("Same\ntext")
    (tmp_path / "two.txt").write_text("Same\ntext")
    project = ProjectFactory()
    call_command("import_sources", str(tmp_path), project=project.name)
    assert Source.objects.filter(project=project).count() == 1


def test_a_non_utf8_file_is_named_and_nothing_is_imported(folder):
    (folder / "c.txt").write_bytes("Cyrillic in cp1251: Москва".encode("cp1251"))
    project = ProjectFactory()
    with pytest.raises(CommandError) as error:
        call_command("import_sources", str(folder), project=project.name)
    message = str(error.value)
    assert "c.txt" in message and "not valid UTF-8" in message and "Nothing was imported" in message
    assert not Source.objects.exists()


def test_a_file_with_a_nul_character_is_named_and_nothing_is_imported(folder):
    (folder / "c.txt").write_text("Title\nBefore\x00after\n")
    project = ProjectFactory()
    with pytest.raises(CommandError) as error:
        call_command("import_sources", str(folder), project=project.name)
    message = str(error.value)
    assert "c.txt" in message and "NUL character (at character 12)" in message
    assert not Source.objects.exists()


def test_an_unknown_project_is_a_clear_error(folder):
    with pytest.raises(CommandError, match="No project named"):
        call_command("import_sources", str(folder), project="nope")


def test_it_imports_the_shared_corpus(shared_dir):
    project = ProjectFactory()
    call_command("import_sources", str(shared_dir / "corpus"), project=project.name)
    texts = list(Source.objects.filter(project=project).values_list("text", flat=True))
    assert len(texts) == len(list((shared_dir / "corpus").glob("*.txt")))
    assert all(texts)
