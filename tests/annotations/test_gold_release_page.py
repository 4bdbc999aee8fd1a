"""Releasing the gold standard from the project overview, and the gold panel of the coding page:
coders of a blind project see gold there only once a lead has released it."""

import pytest

from tests.conftest import page_client_for
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold(world):
    return AnnotationFactory(
        source=world.source,
        code=world.code,
        coder=world.lead,
        gold=True,
        start=0,
        end=6,
    )


def release_url(world):
    return f"/projects/{world.project.pk}/gold-release/"


def workspace(world, user) -> str:
    response = page_client_for(user).get(f"/sources/{world.source.pk}/code/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_coder_of_a_blind_project_sees_gold_only_once_the_lead_releases_it(world, gold):
    assert 'id="gold"' not in workspace(world, world.alice)
    assert 'id="gold"' in workspace(world, world.lead)
    page = page_client_for(world.lead).post(release_url(world), {"released": "1"}, follow=True)
    assert "Coders now see the gold standard" in page.content.decode()
    world.project.refresh_from_db()
    assert world.project.gold_released
    shown = workspace(world, world.alice)
    panel = shown[shown.index('id="gold"') :].split("</section>")[0]
    assert f'<q dir="auto">{gold.quote}</q>' in panel and "Blame" in panel
    page_client_for(world.lead).post(release_url(world), {"released": "0"})
    assert 'id="gold"' not in workspace(world, world.alice)


def test_in_an_open_project_coders_see_gold_without_a_release(world, gold):
    world.project.blind = False
    world.project.save()
    assert 'id="gold"' in workspace(world, world.alice)


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("outsider", 404), (None, 302)])
def test_only_a_lead_releases_the_gold_standard(world, gold, who, status):
    user = getattr(world, who) if who else None
    response = page_client_for(user).post(release_url(world), {"released": "1"})
    assert response.status_code == status
    world.project.refresh_from_db()
    assert not world.project.gold_released


def test_the_overview_of_a_blind_project_offers_the_release(world):
    html = page_client_for(world.lead).get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="gold-release"' in html and "withheld" in html
    world.project.blind = False
    world.project.save()
    html = page_client_for(world.lead).get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="gold-release"' not in html
