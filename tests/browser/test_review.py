"""The lead's disagreement review: moving between disagreements, every adjudication key with
undo, a lost answer, the code filter, marking a source adjudicated and the adjudication queue."""

import pytest
from playwright.sync_api import Page, Route, expect

from annotations.models import Adjudication, Annotation, CandidateRejection, Layer
from sources.models import normalize_text
from tests.browser.conftest import TEXT
from tests.factories import AnnotationFactory, AssignmentFactory, SourceFactory

pytestmark = pytest.mark.browser


def span_of(quote: str) -> tuple[int, int]:
    start = len(TEXT[: TEXT.index(quote)])
    return start, start + len(quote)


def add_passages(world, source, rows) -> dict:
    """Each (coder, quote, code name) row as that coder's passage on the quote's first
    occurrence in `source`, by (coder, quote)."""
    passages = {}
    for coder, quote, code in rows:
        start = source.text.index(quote)
        passages[coder, quote] = AnnotationFactory(
            source=source,
            coder=world[coder],
            code=world["codes"][code],
            start=start,
            end=start + len(quote),
        )
    return passages


@pytest.fixture
def disputed(world):
    """Both coders agree on "Opening line"; they give "plain words" different codes; only
    alice coded "Last paragraph"."""
    rows = [
        ("alice", "Opening line", "Threat"),
        ("bob", "Opening line", "Threat"),
        ("alice", "plain words", "Threat"),
        ("bob", "plain words", "Memory"),
        ("alice", "Last paragraph", "Blame"),
    ]
    world["passages"] = add_passages(world, world["source"], rows)
    return world


@pytest.fixture
def review(page: Page, live_server, log_in, disputed):
    log_in(disputed["lead"])
    page.goto(f"{live_server.url}/sources/{disputed['source'].pk}/review/")
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    return page


def saved(page: Page) -> None:
    expect(page.locator("#review")).to_have_attribute("data-unsaved", "0")
    expect(page.locator("#save-status")).to_have_text("All changes saved")


def gold_rows():
    return list(
        Annotation.objects.filter(layer=Layer.GOLD).values_list(
            "code__name", "start", "end", "derived_from"
        )
    )


def test_n_and_p_move_between_the_disagreements_only(review):
    expect(review.locator("#unit-position")).to_have_text("1 of 2")
    expect(review.locator("#unit-kind")).to_have_text("different codes")
    expect(review.locator("#candidates li")).to_have_count(2)
    review.keyboard.press("n")
    expect(review.locator("#unit-position")).to_have_text("2 of 2")
    expect(review.locator("#unit-kind")).to_contain_text("only alice (not bob)")
    review.keyboard.press("p")
    expect(review.locator("#unit-position")).to_have_text("1 of 2")
    expect(review.locator("#rv-text span.current")).to_have_text(["plain words"])
    assert review.locator("#rv-text span.dis").count() >= 2


def test_the_code_filter_keeps_the_disagreements_of_one_code(review, disputed):
    review.locator("#code-filter").select_option(label="Blame")
    expect(review.locator("#unit-position")).to_have_text("1 of 1")
    expect(review.locator("#candidates li")).to_have_count(1)


def test_accepting_a_passage_writes_gold_and_undo_removes_it(review, disputed):
    alice = disputed["passages"]["alice", "plain words"]
    review.keyboard.press("a")
    saved(review)
    assert gold_rows() == [("Threat", alice.start, alice.end, [str(alice.pk)])]
    expect(review.locator("#candidates li").first).to_have_attribute("data-state", "accepted")
    gold = Annotation.objects.get(layer=Layer.GOLD)
    assert gold.adjudicated_by == disputed["lead"]
    review.keyboard.press("u")
    saved(review)
    assert gold_rows() == []
    expect(review.locator("#candidates li").first).to_have_attribute("data-state", "open")


def test_accepting_with_edits_keeps_where_it_came_from(review, disputed):
    bob = disputed["passages"]["bob", "plain words"]
    review.keyboard.press("ArrowDown")
    expect(review.locator("#candidates li.chosen")).to_contain_text("bob")
    review.keyboard.press("e")
    review.locator("#gold-end").fill(str(bob.end - 6))
    expect(review.locator("#gold-quote")).to_have_text("“plain”")
    review.locator("#gold-code").select_option(label="Threat")
    review.locator("#gold-save").click()
    saved(review)
    assert gold_rows() == [("Threat", bob.start, bob.end - 6, [str(bob.pk)])]


def test_adding_an_own_gold_passage_for_what_only_one_coder_saw(review, disputed):
    review.keyboard.press("n")
    review.keyboard.press("g")
    start, end = span_of("Last paragraph")
    expect(review.locator("#gold-start")).to_have_value(str(start))
    review.locator("#gold-code").select_option(label="Memory")
    review.locator("#gold-save").click()
    saved(review)
    assert gold_rows() == [("Memory", start, end, [])]


def rejected_ids():
    return {str(pk) for pk in CandidateRejection.objects.values_list("annotation_id", flat=True)}


def test_rejecting_is_saved_on_the_server_and_undo_withdraws_it(review, disputed):
    alice = disputed["passages"]["alice", "plain words"]
    first = review.locator("#candidates li").first
    review.keyboard.press("r")
    expect(first).to_have_attribute("data-state", "rejected")
    saved(review)
    assert rejected_ids() == {str(alice.pk)}
    assert CandidateRejection.objects.get().by == disputed["lead"]
    review.keyboard.press("u")
    expect(first).to_have_attribute("data-state", "open")
    saved(review)
    assert rejected_ids() == set()
    review.keyboard.press("r")
    saved(review)
    review.evaluate("() => localStorage.clear()")
    review.reload()
    review.wait_for_selector("#review[data-ready='1']", state="attached")
    expect(first).to_have_attribute("data-state", "rejected")
    review.keyboard.press("r")
    expect(first).to_have_attribute("data-state", "open")
    saved(review)
    assert rejected_ids() == set()
    assert gold_rows() == []


def test_a_rejection_waiting_for_the_server_survives_a_reload(review, disputed):
    alice = disputed["passages"]["alice", "plain words"]
    review.route("**/rejections/**", lambda route: route.abort("connectionrefused"))
    review.keyboard.press("r")
    expect(review.locator("#review")).to_have_attribute("data-unsaved", "1")
    expect(review.locator("#candidates li").first).to_contain_text("unsaved")
    review.unroute("**/rejections/**")
    review.reload()
    review.wait_for_selector("#review[data-ready='1']", state="attached")
    saved(review)
    assert rejected_ids() == {str(alice.pk)}
    expect(review.locator("#candidates li").first).to_have_attribute("data-state", "rejected")


def test_a_lost_answer_to_a_rejection_and_its_undo_still_ends_saved(review, disputed):
    lost = {"answers": 0}

    def handle(route: Route) -> None:
        if lost["answers"] < 2:
            lost["answers"] += 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    review.route("**/rejections/**", handle)
    review.keyboard.press("r")
    saved(review)
    assert rejected_ids() == {str(disputed["passages"]["alice", "plain words"].pk)}
    review.keyboard.press("u")
    saved(review)
    assert lost["answers"] == 2
    assert rejected_ids() == set()


def test_decisions_redraw_the_text_as_drawing_it_all_again_would(review, disputed):
    review.keyboard.press("a")
    review.keyboard.press("ArrowDown")
    review.keyboard.press("a")
    review.keyboard.press("x")
    saved(review)
    text = review.locator("#rv-text")
    expect(text.locator("span.current")).to_have_text(["plain words"])
    after_decisions = text.inner_html()
    review.locator("#code-filter").select_option(label="Blame")
    review.locator("#code-filter").select_option(value="")
    expect(review.locator("#unit-position")).to_have_text("1 of 2")
    assert text.inner_html() == after_decisions
    review.keyboard.press("n")
    expect(text.locator("span.current")).to_have_text(["Last paragraph"])


def test_removing_a_gold_passage_and_undoing_brings_it_back(review, disputed):
    review.keyboard.press("a")
    saved(review)
    review.keyboard.press("x")
    saved(review)
    assert gold_rows() == []
    review.keyboard.press("u")
    saved(review)
    alice = disputed["passages"]["alice", "plain words"]
    assert gold_rows() == [("Threat", alice.start, alice.end, [str(alice.pk)])]


def test_a_lost_answer_to_an_accept_saves_exactly_one_gold_passage(review, disputed):
    lost = {"answers": 0}

    def handle(route: Route) -> None:
        if route.request.method == "POST" and not lost["answers"]:
            lost["answers"] += 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    review.route("**/api/annotations/**", handle)
    review.keyboard.press("a")
    saved(review)
    assert lost["answers"] == 1
    assert len(gold_rows()) == 1


def test_marking_the_source_adjudicated_takes_it_out_of_the_queue(review, disputed, live_server):
    review.locator("#mark-adjudicated").click()
    expect(review.locator("#review")).to_have_attribute("data-adjudicated", "1")
    assert Adjudication.objects.get(source=disputed["source"]).by == disputed["lead"]
    review.goto(f"{live_server.url}/projects/{disputed['project'].pk}/adjudicate/")
    expect(review.locator(".notice")).to_contain_text("Every source")


def test_the_queue_leads_from_the_overview_to_the_next_source(page, live_server, log_in, disputed):
    second = disputed["second"]
    AssignmentFactory(source=second, coder=disputed["bob"])
    for coder in ("alice", "bob"):
        AnnotationFactory(source=second, coder=disputed[coder], code=disputed["codes"]["Threat"])
    log_in(disputed["lead"])
    page.goto(f"{live_server.url}/projects/{disputed['project'].pk}/")
    page.locator("#adjudicate-next").click()
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    expect(page.locator("h1")).to_have_text(disputed["source"].title)
    page.locator("#next-source").click()
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    expect(page.locator("h1")).to_have_text(second.title)


@pytest.fixture
def long_source(world):
    """Sixty paragraphs: alice and bob give the first different codes, agree on the thirty-first
    and only alice coded the last."""
    text = normalize_text("\n".join(f"Paragraph {n} " + "words " * 60 for n in range(60)))
    source = SourceFactory(project=world["project"], title="Long", text=text)
    for coder in ("alice", "bob"):
        AssignmentFactory(source=source, coder=world[coder])
    rows = [
        ("alice", "Paragraph 0", "Threat"),
        ("bob", "Paragraph 0", "Memory"),
        ("alice", "Paragraph 30", "Threat"),
        ("bob", "Paragraph 30", "Threat"),
        ("alice", "Paragraph 59", "Blame"),
    ]
    add_passages(world, source, rows)
    return source


PARAGRAPH_HEIGHTS = """() => [...document.querySelectorAll('#rv-text .rv-p')].map((p) => {
  p.style.contentVisibility = 'visible';
  return p.getBoundingClientRect().height;
})"""


def test_paragraphs_far_from_view_are_drawn_when_reached_and_wrap_alike(
    page, live_server, log_in, long_source, world
):
    log_in(world["lead"])
    page.goto(f"{live_server.url}/sources/{long_source.pk}/review/")
    page.wait_for_selector("#review[data-ready='1']", state="attached")
    paragraphs = page.locator("#rv-text .rv-p")
    expect(paragraphs).to_have_count(60)
    expect(page.locator("#rv-text span.current")).to_have_text(["Paragraph 0"])
    last = paragraphs.nth(59)
    expect(last.locator("span")).to_have_count(1)
    heights = page.evaluate(PARAGRAPH_HEIGHTS)
    page.keyboard.press("n")
    expect(page.locator("#unit-position")).to_have_text("2 of 2")
    expect(last.locator("span.current")).to_have_text(["Paragraph 59"])
    expect(last.locator("span.current")).to_be_in_viewport()
    middle = paragraphs.nth(30)
    expect(middle.locator("span")).to_have_count(1)
    middle.scroll_into_view_if_needed()
    expect(middle.locator("span")).to_have_count(2)
    assert middle.locator("span").first.get_attribute("class")
    assert page.evaluate(PARAGRAPH_HEIGHTS) == heights
