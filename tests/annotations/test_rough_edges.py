"""What a first-time user runs into: who is offered as a coder, where a source's history is
linked from, empty filters."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from agreement.selectors import agreement_choices
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def layer_names(user, source):
    html = logged_in(user).get(reverse("workspace", args=[source.pk])).content.decode()
    found = re.search(
        r'<script id="workspace-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found
    return [coder["username"] for coder in json.loads(found.group(1))["coders"]]


def test_the_lead_is_not_offered_as_a_coder_for_agreement(study):
    names = [row["username"] for row in agreement_choices(study["project"])["coders"]]
    assert names == ["alice", "bob"]


def test_a_lead_with_passages_in_the_project_is_offered_for_agreement(study):
    AnnotationFactory(source=study["sources"][0], coder=study["lead"], code=study["code"])
    names = [row["username"] for row in agreement_choices(study["project"])["coders"]]
    assert names == ["alice", "bob", "lead"]


def test_the_layers_list_holds_the_coders_of_the_source_not_the_lead(study):
    source = study["sources"][0]
    assert layer_names(study["lead"], source) == ["alice", "bob"]
    AnnotationFactory(source=source, coder=study["lead"], code=study["code"])
    assert layer_names(study["lead"], source) == ["alice", "bob", "lead"]


def test_the_leads_source_rows_link_to_each_sources_history(study):
    html = logged_in(study["lead"]).get(f"/projects/{study['project'].pk}/").content.decode()
    for source in study["sources"]:
        assert f'href="/projects/{study["project"].pk}/sources/{source.pk}/history/"' in html


def test_an_empty_filter_on_the_assignments_list_is_no_filter(study):
    client = logged_in(study["alice"])
    response = client.get("/api/assignments/?status=&project=&source=&coder=")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_a_refused_read_does_not_say_nothing_was_saved(study):
    response = logged_in(study["alice"]).get("/api/assignments/?status=bogus")
    assert response.status_code == 400
    assert "saved" not in response.json()["message"]
