"""The lead's calibration rounds page: list the rounds, make one from a form."""

import pytest

from agreement.models import CalibrationRound
from agreement.services.rounds import calibration_round_create
from agreement.services.start import agreement_run_start
from annotations.models import Assignment
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def page_url(project):
    return f"/projects/{project.pk}/rounds/"


def form(demo, users, **change):
    coders = [users["coder"].pk, demo.members.get(username="coder3").pk]
    sources = list(demo.sources.order_by("pk").values_list("pk", flat=True)[:2])
    return {"name": "Pilot", "sources": sources, "coders": coders, **change}


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("lead", 200), ("coder", 403), ("stranger", 404)]
)
def test_only_leads_and_admins_open_the_rounds_page(client, demo, users, who, status):
    client.force_login(users[who])
    assert client.get(page_url(demo)).status_code == status


@pytest.mark.parametrize(("who", "status"), [("coder", 403), ("stranger", 404)])
def test_coders_and_outsiders_cannot_make_a_round(client, demo, users, who, status):
    client.force_login(users[who])
    assert client.post(page_url(demo), form(demo, users)).status_code == status
    assert not CalibrationRound.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_makes_nothing(client, demo, users):
    response = client.post(page_url(demo), form(demo, users))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not CalibrationRound.objects.exists()


def test_the_overview_and_the_agreement_page_link_the_rounds_page(client, demo, users):
    client.force_login(users["lead"])
    link = f'href="{page_url(demo)}"'
    assert link in client.get(f"/projects/{demo.pk}/").content.decode()
    assert link in client.get(f"/projects/{demo.pk}/agreement/").content.decode()


def test_a_lead_makes_a_round_that_assigns_its_sources_and_is_listed(client, demo, users):
    client.force_login(users["lead"])
    coder3 = demo.members.get(username="coder3")
    Assignment.objects.filter(coder=coder3).delete()
    data = form(demo, users)
    response = client.post(page_url(demo), data, follow=True)
    made = CalibrationRound.objects.get()
    assert (made.name, made.created_by) == ("Pilot", users["lead"])
    assert sorted(made.sources.values_list("pk", flat=True)) == data["sources"]
    assigned = Assignment.objects.filter(coder=coder3).values_list("source_id", flat=True)
    assert sorted(assigned) == data["sources"]
    html = response.content.decode()
    assert "Round &#x27;Pilot&#x27; made: 2 source(s) assigned to 2 coder(s)." in html
    row = html.split(f'data-round="{made.pk}"')[1].split("</tr>")[0]
    assert "coder1, coder3" in row and "2 sources" in row
    assert f"?round={made.pk}" in row


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": " "}, "name", "This field is required."),
        ({"name": "Taken"}, "name", "There is already a round named"),
        ({"sources": []}, "sources", "Choose at least one source."),
        ({"sources": [999999]}, "sources", "999999 is not a source of this project."),
        ({"coders": []}, "coders", "Choose at least two coders"),
        ({"coders": ["coder1"]}, "coders", "Choose at least two coders"),
        ({"coders": ["coder1", "lead"]}, "coders", "is not a coder of this project."),
    ],
)
def test_a_bad_round_is_shown_with_its_error_and_writes_nothing(
    client, demo, users, change, field, message
):
    calibration_round_create(
        project=demo,
        name="Taken",
        sources=[demo.sources.first()],
        coders=[users["coder"], demo.members.get(username="coder2")],
        by=None,
    )
    before = set(Assignment.objects.values_list("pk", "source_id", "coder_id", "status"))
    client.force_login(users["lead"])
    data = form(demo, users, **change)
    if "coders" in change:
        data["coders"] = [demo.members.get(username=name).pk for name in change["coders"]]
    response = client.post(page_url(demo), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html and message.replace("'", "&#x27;") in html
    assert CalibrationRound.objects.count() == 1
    assert set(Assignment.objects.values_list("pk", "source_id", "coder_id", "status")) == before
    if field != "sources":
        for pk in data["sources"]:
            assert f'value="{pk}" id="source-{pk}" checked' in html


def test_the_agreement_page_narrows_its_history_to_a_round_and_preselects_it(client, demo, users):
    calibration = calibration_round_create(
        project=demo,
        name="Pilot",
        sources=list(demo.sources.all()[:4]),
        coders=[users["coder"], demo.members.get(username="coder2")],
        by=users["lead"],
    )
    scoped = agreement_run_start(project=demo, user=users["lead"], calibration=calibration)
    other = agreement_run_start(project=demo, user=users["lead"])
    client.force_login(users["lead"])
    html = client.get(f"/projects/{demo.pk}/agreement/?round={calibration.pk}").content.decode()
    history = html[html.index('id="past-runs"') :]
    assert f"#{scoped.pk}<" in history and f"#{other.pk}<" not in history
    assert f'<option value="{calibration.pk}" selected>' in html


def test_a_rounds_coders_are_listed_by_username(client, demo, users):
    # Made in the reverse of alphabetical order: the page must not list them as the database
    # happens to return them.
    coders = [MembershipFactory(project=demo, user__username=name).user for name in ("zed", "amy")]
    made = calibration_round_create(
        project=demo, name="Ordered", sources=list(demo.sources.all()[:1]), coders=coders,
        by=users["lead"],
    )  # fmt: skip
    client.force_login(users["lead"])
    page = client.get(page_url(demo)).content.decode()
    row = page[page.index(f'data-round="{made.pk}"') :]
    assert "amy, zed" in row[: row.index("</tr>")]
