import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from annotations.services import annotation_create
from sources.models import Source
from sources.services import source_create
from tests.factories import CodebookFactory, CodeFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def annotated_source() -> Source:
    project = ProjectFactory()
    source = source_create(project=project, title="T", text="A short text to annotate.")
    code = CodeFactory(codebook=CodebookFactory(project=project))
    annotation_create(coder=UserFactory(), source_id=source.pk, code_id=code.pk, start=2, end=7)
    source.refresh_from_db()
    return source


def test_text_is_stored_nfc_normalised_with_its_hash():
    decomposed = unicodedata.normalize("NFD", "Café crème")
    source = source_create(project=ProjectFactory(), title="T", text=decomposed)
    source.refresh_from_db()
    assert source.text == "Café crème" and len(source.text) == 10
    assert len(source.sha256) == 64


def test_a_text_with_a_nul_character_is_refused():
    with pytest.raises(ValidationError, match="NUL character"):
        source_create(project=ProjectFactory(), title="T", text="Before\x00after")
    assert not Source.objects.exists()


def test_the_same_text_twice_in_a_project_is_refused():
    project = ProjectFactory()
    source_create(project=project, title="A", text="Same words.")
    with pytest.raises(ValidationError):
        source_create(project=project, title="B", text="Same words.")
    assert Source.objects.count() == 1


def test_an_unannotated_text_may_still_change():
    source = source_create(project=ProjectFactory(), title="T", text="Draft text.")
    source.text = "Corrected text."
    source.full_clean()
    source.save()
    source.refresh_from_db()
    assert source.text == "Corrected text."


def test_an_annotated_text_cannot_change_through_the_model():
    source = annotated_source()
    assert source.text_locked
    source.text = "Something else entirely."
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "annotations" in error.value.message_dict["text"][0]
    with pytest.raises(ValidationError):
        source.set_text("Something else entirely.")


def test_an_annotated_text_cannot_change_even_bypassing_the_model():
    source = annotated_source()
    with pytest.raises(DatabaseError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(text="Changed behind the model's back.")
    with pytest.raises(DatabaseError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(text_locked=False)
    source.refresh_from_db()
    assert source.text == "A short text to annotate."


def test_metadata_of_an_annotated_source_may_still_change():
    source = annotated_source()
    source.title = "Better title"
    source.full_clean()
    source.save()
    assert Source.objects.get(pk=source.pk).title == "Better title"
