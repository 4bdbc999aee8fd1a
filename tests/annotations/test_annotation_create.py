"""The create path reads the source, the caller's role and assignment, the code, the text at the
offsets and the id's history in one hand-written statement: these hold what it must still do."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Annotation, Assignment, AssignmentStatus
from annotations.services import annotation_create
from annotations.sql import passage_facts
from sources.models import Source
from sources.services import source_update
from tests.factories import AssignmentFactory, SourceFactory

pytestmark = pytest.mark.django_db

ASTRAL = "Flag 🇷🇺, then 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢: café, عربي, end."


@pytest.fixture
def astral(world):
    source = SourceFactory(project=world.project, text=ASTRAL, title="Astral")
    AssignmentFactory(source=source, coder=world.alice)
    return source


def post(client, **payload):
    return client.post("/api/annotations/", {"id": str(uuid.uuid4()), **payload}, format="json")


def passage(world, source=None, **overrides):
    source = source or world.source
    return {"source": source.pk, "code": world.code.pk, "start": 17, "end": 26, **overrides}


def test_offsets_past_astral_characters_count_code_points(world, as_user, astral):
    start = ASTRAL.index("𝔘")
    end = start + len("𝔘𝔫𝔦𝔠𝔬𝔡𝔢")
    response = post(as_user(world.alice), **passage(world, astral, start=start, end=end))
    assert response.status_code == 201, response.json()
    assert response.json()["quote"] == "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" == ASTRAL[start:end]


def test_a_quote_sent_with_astral_characters_is_compared_in_code_points(world, as_user, astral):
    start = ASTRAL.index("😀")
    client = as_user(world.alice)
    right = post(client, **passage(world, astral, start=start, end=start + 1, quote="😀"))
    wrong = post(client, **passage(world, astral, start=start, end=start + 2, quote="😀"))
    assert right.status_code == 201, right.json()
    assert wrong.status_code == 400
    assert repr(ASTRAL[start : start + 2]) in wrong.json()["fields"]["quote"][0]


def test_a_passage_may_end_at_the_last_code_point_and_not_after(world, as_user, astral):
    client = as_user(world.alice)
    last = post(client, **passage(world, astral, start=len(ASTRAL) - 4, end=len(ASTRAL)))
    past = post(client, **passage(world, astral, start=len(ASTRAL) - 4, end=len(ASTRAL) + 1))
    assert last.status_code == 201 and last.json()["quote"] == "end."
    assert past.status_code == 400
    assert f"({len(ASTRAL)} characters)" in past.json()["fields"]["end"][0]


def test_an_unknown_source_or_code_is_a_400_even_beyond_the_databases_integers(world, as_user):
    client = as_user(world.alice)
    for source in (999_999, 2**70):
        response = post(client, **{**passage(world), "source": source})
        assert response.status_code == 400 and "source" in response.json()["fields"]
    for code in (999_999, 2**70):
        response = post(client, **passage(world, code=code))
        assert response.status_code == 400
        assert f"No code with id {code}" in response.json()["fields"]["code"][0]
    assert not Annotation.objects.filter(coder=world.alice).exclude(pk=world.alice_note.pk)


def test_staff_may_annotate_any_source_and_anonymous_callers_none(world, as_user):
    elsewhere = passage(world, world.other_source, code=world.other_code.pk, start=0, end=6)
    staff = post(as_user(world.admin), **elsewhere)
    anonymous = post(as_user(None), **passage(world))
    assert staff.status_code == 201 and staff.json()["coder"] == "root"
    assert anonymous.status_code == 401


def test_a_lead_annotates_without_an_assignment_and_none_is_made(world, as_user):
    response = post(as_user(world.lead), **passage(world, world.unassigned, start=0, end=6))
    assert response.status_code == 201
    assert not Assignment.objects.filter(coder=world.lead).exists()


def test_another_coder_retrying_a_deleted_id_is_refused_without_its_state(world, as_user):
    note = world.alice_note
    as_user(world.alice).delete(f"/api/annotations/{note.pk}/?version=1")
    retry = {"id": str(note.pk), **passage(world, start=0, end=6)}
    response = as_user(world.bob).post("/api/annotations/", retry, format="json")
    assert response.status_code == 409 and response.json()["current"] is None
    assert not Annotation.objects.filter(pk=note.pk).exists()


def test_the_create_is_recorded_in_the_history_with_its_coder(world, as_user):
    data = post(as_user(world.alice), **passage(world)).json()
    record = Annotation.history.get(id=data["id"])
    assert (record.history_type, record.history_user) == ("+", world.alice)
    assert (record.start, record.end, record.quote, record.version) == (17, 26, data["quote"], 1)


def test_a_create_writes_the_rows_the_orm_and_simple_history_would(world, as_user):
    data = post(as_user(world.alice), **passage(world, memo="why <b>")).json()
    annotation = Annotation.objects.get(pk=data["id"])
    assert annotation.created_at <= annotation.updated_at
    assert (annotation.coder, annotation.memo, annotation.version) == (world.alice, "why <b>", 1)
    ours = Annotation.history.get(id=annotation.pk)
    Annotation.history.bulk_history_create([annotation], default_user=world.alice)
    theirs = Annotation.history.filter(id=annotation.pk).exclude(history_id=ours.history_id).get()
    fields = [f.attname for f in Annotation.history.model._meta.concrete_fields]
    compared = [name for name in fields if name not in {"history_id", "history_date"}]
    assert {name: getattr(ours, name) for name in compared} == {
        name: getattr(theirs, name) for name in compared
    }
    assert annotation.created_at <= ours.history_date <= theirs.history_date
    # Stored as the ORM stores dates, or comparisons and ordering in SQL would go wrong.
    assert Annotation.history.filter(history_date=ours.history_date).get() == ours
    assert Annotation.objects.filter(created_at=annotation.created_at).get() == annotation


def test_the_first_passage_locks_the_text_and_starts_the_assignment_once(world, as_user):
    client = as_user(world.alice)
    post(client, **passage(world))
    assignment = Assignment.objects.get(source=world.source, coder=world.alice)
    started = assignment.started_at
    assert assignment.status == AssignmentStatus.IN_PROGRESS and started is not None
    assert Source.objects.get(pk=world.source.pk).text_locked
    post(client, **passage(world, start=30, end=35))
    assert Assignment.objects.get(pk=assignment.pk).started_at == started


def test_a_refused_create_changes_nothing(world, as_user):
    before = Annotation.history.count()
    response = post(as_user(world.alice), **passage(world, quote="not the text"))
    assert response.status_code == 400
    assert Annotation.history.count() == before
    assert Assignment.objects.get(source=world.source, coder=world.alice).started_at is None
    assert not Source.objects.get(pk=world.source.pk).text_locked


def test_a_first_passage_on_a_text_changed_since_its_check_is_refused(world):
    """Until its first passage locks it, a source's text may change between the create's read
    and its write: the offsets were checked against the old text, so nothing is written."""
    source = SourceFactory(project=world.project, text="The old text of the source.")
    AssignmentFactory(source=source, coder=world.alice)
    annotation_id = uuid.uuid4()
    facts = passage_facts(
        world.alice,
        source_id=source.pk,
        code_id=world.code.pk,
        annotation_id=annotation_id,
        start=4,
        end=7,
    )
    source_update(source=source, text="The new text of the source.")
    with pytest.raises(ValidationError, match="text changed"):
        annotation_create(
            coder=world.alice,
            source_id=source.pk,
            code_id=world.code.pk,
            start=4,
            end=7,
            id=annotation_id,
            facts=facts,
        )
    assert not Annotation.objects.filter(source=source).exists()
    assert not Source.objects.get(pk=source.pk).text_locked
