"""Small things a first reader of a run notices: the chart's edge, the offline report's links,
the order of the codebook snapshot, the demo's description."""

import re

import pytest

from agreement.reports.figures import alpha_chart
from agreement.reports.render import agreement_report_html
from agreement.reports.tables import CodeRow, Figure
from agreement.services.start import agreement_run_start
from narratives.services import code_create
from sources.models import Membership, Role

pytestmark = pytest.mark.django_db


def perfect(value):
    return Figure(value=value, ci=(value, value), p_below=None, note=None)


def test_a_dot_at_alpha_one_is_drawn_inside_the_chart():
    chart = alpha_chart(
        [CodeRow(1, "Full", {"doc_alpha": perfect(1.0), "char_alpha": perfect(1.0)})]
    )
    for mark in chart["rows"][0]["marks"]:
        assert mark["cx"] - 4.5 >= 0 and mark["cx"] + 4.5 <= chart["width"]
        assert mark["y"] - 4.5 >= 0 and mark["y"] + 4.5 <= chart["height"]
    # The tick label "1" is centred on the last tick: half of it must fit too.
    assert chart["ticks"][-1]["x"] + 8 <= chart["width"]


def test_the_offline_report_has_no_download_buttons_pointing_at_the_server(finished_run):
    html = agreement_report_html(finished_run)
    assert 'class="download"' not in html
    assert "/api/agreement-runs/" not in html


def test_the_codebook_snapshot_lists_each_parent_before_its_children(demo, users):
    parent = code_create(project=demo, name="Zulu parent", order=50)
    code_create(project=demo, name="Alpha child", parent=parent, order=0)
    run = agreement_run_start(project=demo, user=users["lead"], bootstrap=0)
    seen: set[int] = set()
    for code in run.codebook_snapshot:
        assert code["parent_id"] is None or code["parent_id"] in seen, code["name"]
        seen.add(code["id"])


def test_the_demo_description_counts_its_coders(demo):
    coders = Membership.objects.filter(project=demo, role=Role.CODER).count()
    words = {2: "two", 3: "three", 4: "four"}
    assert re.search(rf"\b{words[coders]} coders\b", demo.description)
