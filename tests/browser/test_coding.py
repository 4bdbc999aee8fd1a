import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.conftest import TEXT
from tests.browser.helpers import coded_texts, drag_select, wait_saved
from tests.factories import AnnotationFactory, AssignmentFactory, SourceFactory

pytestmark = pytest.mark.browser


def span_of(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def alices_source(world, title: str, text: str, coded: list[str]):
    """A source assigned to alice, with her "Memory" passage on the first occurrence of each of
    `coded`."""
    source = SourceFactory(project=world["project"], title=title, text=text)
    AssignmentFactory(source=source, coder=world["alice"])
    for quote in coded:
        start = text.index(quote)
        AnnotationFactory(
            source=source,
            coder=world["alice"],
            code=world["codes"]["Memory"],
            start=start,
            end=start + len(quote),
        )
    return source


def test_a_mouse_drag_and_a_click_in_the_picker_store_the_passage(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("about the attack"))
    expect(page.locator("#picker")).to_be_visible()
    page.locator("#picker-list [data-code-id]", has_text="Memory").click()
    wait_saved(page)

    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == span_of("about the attack")
    assert annotation.quote == "about the attack"
    assert annotation.coder == world["alice"]
    assert annotation.code == world["codes"]["Memory"]
    assert coded_texts(page) == ["about the attack"]


def test_pressing_a_codes_shortcut_applies_it_to_the_selection(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("plain words"))
    page.keyboard.press("t")
    wait_saved(page)
    annotation = Annotation.objects.get()
    assert annotation.code == world["codes"]["Threat"]
    assert annotation.quote == "plain words"


def test_the_picker_filter_finds_a_code_and_enter_applies_it(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of("Last paragraph"))
    page.locator("#picker-filter").fill("bla")
    page.locator("#picker-filter").press("Enter")
    wait_saved(page)
    assert Annotation.objects.get().code == world["codes"]["Blame"]


def test_overlapping_and_nested_passages_are_all_drawn_and_labelled(world, open_workspace):
    source, alice = world["source"], world["alice"]
    outer = span_of("Opening line about the attack")
    AnnotationFactory(
        source=source, coder=alice, code=world["codes"]["Threat"], start=outer[0], end=outer[1]
    )
    page = open_workspace(alice, source)
    # A nested passage and an overlapping one, with two codes on the same words.
    drag_select(page, *span_of("line about"))
    page.keyboard.press("h")
    wait_saved(page)
    drag_select(page, *span_of("the attack 😀 with"))
    page.keyboard.press("t")
    wait_saved(page)

    assert Annotation.objects.count() == 3
    covering = page.evaluate(
        """(cp) => {
          const segs = [...document.querySelectorAll('#text .seg')];
          const seg = segs.filter((s) => Number(s.dataset.s) <= cp).at(-1);
          // One underline image per passage.
          return getComputedStyle(seg).backgroundImage.match(/gradient[(]/g).length;
        }""",
        TEXT.index("the attack"),
    )
    assert covering == 2  # "the attack" lies under the outer and the overlapping passage
    labels = page.locator("#text .seg[data-label]").evaluate_all(
        "els => els.map(e => e.dataset.label)"
    )
    assert sorted(labels) == ["1", "1", "2"]  # code numbers, not only colours
    expect(page.locator("#annotation-list li")).to_have_count(3)


def test_a_memo_edited_on_a_passage_is_saved(world, open_workspace):
    annotation = AnnotationFactory(
        source=world["source"], coder=world["alice"], code=world["codes"]["Threat"], start=0, end=7
    )
    page = open_workspace(world["alice"], world["source"])
    page.locator("#text .seg.coded").first.click()
    memo = page.locator("#details textarea")
    memo.fill("Framing <b>not</b> neutral — see §2")
    page.locator("#details button", has_text="Save memo").click()
    wait_saved(page)
    annotation.refresh_from_db()
    assert annotation.memo == "Framing <b>not</b> neutral — see §2"
    assert annotation.version == 2

    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']", state="attached")
    page.locator("#annotation-list button").first.click()
    expect(page.locator("#details textarea")).to_have_value("Framing <b>not</b> neutral — see §2")


def test_a_passages_code_is_changed_from_its_panel(world, open_workspace):
    annotation = AnnotationFactory(
        source=world["source"], coder=world["alice"], code=world["codes"]["Threat"], start=0, end=7
    )
    page = open_workspace(world["alice"], world["source"])
    page.locator("#text .seg.coded").first.click()
    page.locator("#details select").select_option(str(world["codes"]["Blame"].pk))
    wait_saved(page)
    annotation.refresh_from_db()
    assert annotation.code == world["codes"]["Blame"]
    assert (annotation.start, annotation.end, annotation.version) == (0, 7, 2)
    number = page.locator("#details .swatch").first.text_content()
    expect(page.locator("#text .seg[data-label]")).to_have_attribute("data-label", number)

    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']", state="attached")
    page.locator("#text .seg.coded").first.click()
    expect(page.locator("#details select")).to_have_value(str(world["codes"]["Blame"].pk))


def test_deleting_a_passage_removes_it_from_the_server_and_the_page(world, open_workspace):
    AnnotationFactory(
        source=world["source"], coder=world["alice"], code=world["codes"]["Threat"], start=0, end=7
    )
    page = open_workspace(world["alice"], world["source"])
    page.locator("#text .seg.coded").first.click()
    page.locator("#details button", has_text="Delete passage").click()
    wait_saved(page)
    assert not Annotation.objects.exists()
    assert coded_texts(page) == []
    expect(page.locator("#annotation-list li")).to_have_count(0)


def test_a_reload_shows_exactly_what_the_server_holds(world, open_workspace):
    page = open_workspace(world["alice"], world["source"])
    for quote, key in [("Opening line", "t"), ("line about", "h"), ("flag and more", "t")]:
        drag_select(page, *span_of(quote))
        page.keyboard.press(key)
        # Before the next drag: its coordinates are measured on a page no longer changing.
        wait_saved(page)
    before = coded_texts(page)
    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']", state="attached")
    assert coded_texts(page) == before == ["Opening line about", "flag and more"]
    stored = sorted((a.start, a.end, a.code.shortcut) for a in Annotation.objects.all())
    assert stored == sorted(
        [
            (*span_of("Opening line"), "t"),
            (*span_of("line about"), "h"),
            (*span_of("flag and more"), "t"),
        ]
    )


@pytest.mark.parametrize(
    "quote",
    ["attack 😀", "😀 with an emoji", "بالعالم، هذا", "q\u0323\u0307 stay", "🇺🇦 a flag"],
)
def test_offsets_chosen_in_the_browser_equal_python_slicing(world, open_workspace, quote):
    page = open_workspace(world["alice"], world["source"])
    drag_select(page, *span_of(quote))
    page.keyboard.press("t")
    wait_saved(page)
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == span_of(quote)
    assert TEXT[annotation.start : annotation.end] == annotation.quote == quote


def test_stored_offsets_past_astral_and_arabic_text_are_drawn_on_the_right_characters(
    world, open_workspace
):
    quotes = ["emoji inside", "نص عربي", "stay combined", "more words"]
    for quote in quotes:
        start, end = span_of(quote)
        AnnotationFactory(
            source=world["source"],
            coder=world["alice"],
            code=world["codes"]["Memory"],
            start=start,
            end=end,
        )
    page = open_workspace(world["alice"], world["source"])
    assert coded_texts(page) == quotes


def test_a_long_text_draws_every_passage_and_codes_past_the_first_screen(world, open_workspace):
    lines = [f"Line {n:03d} of a long report, padded out with ordinary words." for n in range(400)]
    text = "\n".join(lines)
    quotes = ["Line 001", "Line 200 of a long", "ordinary words.\nLine 399"]
    source = alices_source(world, "Long report", text, quotes)
    page = open_workspace(world["alice"], source)
    assert coded_texts(page) == ["Line 001", "Line 200 of a long", "ordinary words.", "Line 399"]

    start = text.index("Line 350 of")
    page.locator("#text .para").nth(350).scroll_into_view_if_needed()
    drag_select(page, start, start + len("Line 350 of"))
    page.keyboard.press("t")
    wait_saved(page)
    created = Annotation.objects.get(code=world["codes"]["Threat"])
    assert (created.start, created.end, created.quote) == (start, start + 11, "Line 350 of")


def test_text_that_looks_like_markup_is_drawn_as_text_with_exact_offsets(world, open_workspace):
    text = (
        '<img src=x onerror="window.pwned=1"> &amp; &lt;b&gt; <b>bold</b>\n'
        "<script>window.pwned=2</script> \"quoted\" 'single' & done\r carriage"
    )
    quote = "&amp; &lt;b&gt; <b>bold"
    source = alices_source(world, "Markup", text, [quote])
    page = open_workspace(world["alice"], source)
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#text img, #text script, #text b").count() == 0
    lines = page.locator("#text .para").evaluate_all("els => els.map(e => e.textContent)")
    assert "\n".join(lines) == text
    assert coded_texts(page) == [quote]

    target = "<script>window"
    drag_select(page, text.index(target), text.index(target) + len(target))
    page.keyboard.press("t")
    wait_saved(page)
    created = Annotation.objects.get(code=world["codes"]["Threat"])
    assert created.quote == target


def test_the_passage_list_stays_complete_and_in_text_order_while_it_is_built(world, open_workspace):
    lines = [f"Line {n:03d} of a long report, padded out with ordinary words." for n in range(300)]
    text = "\n".join(lines)
    source = alices_source(
        world, "Many passages", text, [f"Line {n:03d}" for n in range(0, 300, 2)]
    )
    page = open_workspace(world["alice"], source)
    # At once, before the list can have been built to its end.
    start = text.index("Line 001")
    drag_select(page, start, start + 8)
    page.keyboard.press("t")
    wait_saved(page)
    expect(page.locator("#annotation-list li")).to_have_count(151)
    shown = page.locator("#annotation-list [data-annotation-id]").evaluate_all(
        "els => els.map(e => e.dataset.annotationId)"
    )
    stored = Annotation.objects.filter(source=source).order_by("start", "end", "id")
    assert shown == [str(a.id) for a in stored]
