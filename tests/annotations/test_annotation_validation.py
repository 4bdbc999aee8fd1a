import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import Annotation
from annotations.services import AnnotationConflict, annotation_create
from tests.factories import CodebookFactory, CodeFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return SourceFactory(text="Moscow, 22 March: the claim appeared within hours.")


@pytest.fixture
def code(source):
    return CodeFactory(codebook=CodebookFactory(project=source.project))


def create(source, code, **overrides):
    fields = {
        "coder": UserFactory(username="cora"),
        "source_id": source.pk,
        "code_id": code.pk,
        "start": 0,
        "end": 6,
    }
    return annotation_create(**{**fields, **overrides})


def test_it_stores_the_quote_from_the_text(source, code):
    annotation, created = create(source, code, start=8, end=16)
    assert created
    assert annotation.quote == "22 March" == source.text[8:16]


def test_it_rejects_an_end_past_the_text(source, code):
    with pytest.raises(ValidationError) as error:
        create(source, code, start=40, end=len(source.text) + 1)
    assert "past the end of the text" in str(error.value.message_dict["end"])
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("start,end", [(5, 5), (6, 2)])
def test_it_rejects_start_not_before_end(source, code, start, end):
    with pytest.raises(ValidationError) as error:
        create(source, code, start=start, end=end)
    assert "end" in error.value.message_dict
    assert not Annotation.objects.exists()


def test_the_database_itself_refuses_start_not_before_end(source, code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(
            source=source, code=code, coder=UserFactory(), start=7, end=7, quote=""
        )


def test_it_rejects_a_quote_that_differs_from_the_text(source, code):
    with pytest.raises(ValidationError) as error:
        create(source, code, start=0, end=6, quote="Moscou")
    assert "'Moscow'" in error.value.message_dict["quote"][0]
    assert not Annotation.objects.exists()


def test_it_rejects_a_code_from_another_project(source):
    foreign = CodeFactory()
    with pytest.raises(ValidationError) as error:
        create(source, foreign)
    assert "another project" in error.value.message_dict["code"][0]
    assert not Annotation.objects.exists()


def test_a_retried_create_with_the_same_id_returns_the_first(source, code):
    coder = UserFactory(username="cora")
    key = uuid.uuid4()
    first, created = create(source, code, coder=coder, id=key)
    again, created_again = create(source, code, coder=coder, id=key)
    assert created and not created_again
    assert again.pk == first.pk and Annotation.objects.count() == 1


def test_the_same_id_with_other_content_is_a_conflict(source, code):
    key = uuid.uuid4()
    create(source, code, id=key)
    with pytest.raises(AnnotationConflict):
        create(source, code, id=key, start=1, end=6)
    assert Annotation.objects.get().start == 0


def test_offsets_count_code_points_not_utf16_units(code):
    text = "Flag 🇷🇺 then café and عربي"
    source = SourceFactory(project=code.codebook.project, text=text)
    start = text.index("café")
    annotation, _ = create(source, code, start=start, end=start + 4)
    assert annotation.quote == "café"
