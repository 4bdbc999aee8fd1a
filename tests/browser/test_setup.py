"""A lead sets up a study from empty in the browser: members, mixed uploads with a CSV mapped by
hand, inline edits, a reliability sample; then a coder sees the work list."""

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Assignment, AssignmentPlan
from sources.models import Role, Source
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.interchange.files import docx_bytes

pytestmark = pytest.mark.browser

CSV = b"headline,message,channel\nFirst post,Text of the first post,Desk\nSecond,Second post,Desk\n"
HTML = (
    b"<html><head><title>Report page</title></head><body><nav>Home | About</nav><article>"
    b"<h1>Report page</h1><p>The claim of responsibility spread within hours across channels "
    b"in several languages, while officials blamed others without evidence.</p></article>"
    b"</body></html>"
)


@pytest.fixture
def empty_study(transactional_db):
    project = ProjectFactory(name="New study")
    lead = MembershipFactory(project=project, role=Role.LEAD, user__username="lead").user
    for name in ("alice", "bob"):
        UserFactory(username=name)
    return project, lead


def files(*entries):
    return [
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}
        for name, data in entries
    ]


def test_a_lead_sets_up_a_study_and_a_coder_sees_the_work(
    page: Page, live_server, log_in, empty_study
):
    project, lead = empty_study
    log_in(lead)
    page.goto(f"{live_server.url}/projects/{project.pk}/")

    page.get_by_role("link", name="Members").click()
    for name in ("alice", "bob"):
        page.get_by_label("Username").fill(name)
        page.get_by_role("button", name="Add member").click()
        expect(page.locator(f"#members tr[data-username='{name}']")).to_be_visible()

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="Sources").click()
    page.set_input_files(
        "#file-picker",
        files(
            ("note.txt", "\ufeffA plain note\r\nwith two lines 😀".encode()),
            ("page.html", HTML),
            ("report.docx", docx_bytes(["Word report body."], title="Word report")),
            ("broken.txt", b"\xff\xfe\x00bad"),
            ("posts.csv", CSV),
        ),
    )
    items = page.locator("#upload-list li")
    expect(items).to_have_count(5)
    csv_item = page.locator("#upload-list li[data-name='posts.csv']")
    expect(csv_item.locator("table.preview")).to_contain_text("Text of the first post")
    csv_item.locator("select[data-map='text']").select_option("message")
    csv_item.locator("select[data-map='title']").select_option("headline")
    csv_item.locator("select[data-map='outlet']").select_option("channel")
    csv_item.get_by_role("button", name="Import with this mapping").click()
    for name in ("note.txt", "page.html", "report.docx", "posts.csv"):
        item = page.locator(f"#upload-list li[data-name='{name}']")
        expect(item).to_have_attribute("data-state", "done")
        expect(item.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("li[data-name='posts.csv'] .report")).to_contain_text("2 source(s) created")
    broken = page.locator("li[data-name='broken.txt']")
    expect(broken).to_have_attribute("data-state", "failed")
    expect(broken.locator(".report")).to_contain_text("not valid UTF-8 (byte 0xff at offset 0)")
    assert Source.objects.filter(project=project).count() == 5
    assert Source.objects.get(title="A plain note").text == "A plain note\nwith two lines 😀"
    assert Source.objects.get(title="First post").outlet == "Desk"

    page.get_by_role("link", name="Show the new sources in the table").click()
    row = page.locator("#source-table tr", has_text="Second")
    title = row.locator("td[data-field='title']")
    title.click()
    page.keyboard.press("End")
    page.keyboard.type(" (edited)")
    page.keyboard.press("Enter")
    expect(row.locator(".row-status")).to_have_text("saved")
    assert Source.objects.filter(title="Second (edited)").exists()

    page.goto(f"{live_server.url}/projects/{project.pk}/assignments/")
    page.get_by_label("How").select_option("reliability")
    page.get_by_label("Overlap share (%)").fill("40")
    page.get_by_label("Seed").fill("2024")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#plan-seed")).to_have_text("2024")
    expect(page.locator("#loads tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text("seed 2024")
    plan = AssignmentPlan.objects.get(project=project)
    assert plan.seed == 2024 and len(plan.overlap) == 2
    assert Assignment.objects.filter(source__project=project).count() == 3 + 2 * 2
    expect(page.locator("#assignment-grid tbody tr")).to_have_count(5)

    alice = project.members.get(username="alice")
    log_in(alice)
    page.goto(f"{live_server.url}/")
    mine = Assignment.objects.filter(coder=alice).count()
    assert mine >= 3
    for assignment in Assignment.objects.filter(coder=alice).select_related("source"):
        expect(page.get_by_text(assignment.source.title, exact=True)).to_be_visible()
