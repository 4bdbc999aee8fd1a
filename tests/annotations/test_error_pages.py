"""Refusals and failures get a page in the site's style that says why and offers a way back, and
an expected refusal (403, 404) is logged as one line, without a traceback."""

import logging

import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_coder_on_a_leads_page_gets_a_styled_403_with_the_reason_and_no_traceback(study, caplog):
    caplog.set_level(logging.INFO)
    response = logged_in(study["alice"]).get(f"/projects/{study['project'].pk}/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "css/app.css" in html and "Only the project&#x27;s lead researcher may do this." in html
    assert 'href="/"' in html
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert refusals and all(record.exc_info is None for record in refusals)


def test_an_unknown_page_gets_a_styled_404_with_a_way_back(study, caplog):
    caplog.set_level(logging.INFO)
    response = logged_in(study["alice"]).get("/sources/999999/code/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "css/app.css" in html and "Page not found" in html and 'href="/"' in html
    assert all(record.exc_info is None for record in caplog.records)


def test_the_500_page_is_styled_and_needs_no_request():
    html = render_to_string("500.html")
    assert "css/app.css" in html and "Something went wrong" in html and 'href="/"' in html


def test_pages_name_a_favicon_and_favicon_ico_leads_to_it(study):
    html = logged_in(study["alice"]).get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"
