"""Browser-side helpers: find the screen position of a code-point offset and drag over it."""

from playwright.sync_api import Page, expect

# The rectangle of the code point at `cp` (counted in code points, like the server) and the
# direction of its line.
_CHAR_BOX = """
(cp) => {
  for (const seg of document.querySelectorAll("#text .seg")) {
    const start = Number(seg.dataset.s);
    const chars = Array.from(seg.textContent);
    if (cp < start || cp >= start + chars.length) continue;
    const unit = chars.slice(0, cp - start).join("").length;
    const text = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT).nextNode();
    const range = document.createRange();
    range.setStart(text, unit);
    range.setEnd(text, unit + chars[cp - start].length);
    const box = range.getClientRects()[0];
    const rtl = getComputedStyle(seg.closest(".para")).direction === "rtl";
    return { left: box.left, right: box.right, middle: box.top + box.height / 2, rtl };
  }
  return null;
}
"""


def drag_select(page: Page, start: int, end: int) -> None:
    """Drag the mouse from before code point `start` to after code point `end - 1`."""
    first = page.evaluate(_CHAR_BOX, start)
    last = page.evaluate(_CHAR_BOX, end - 1)
    assert first and last, f"no rendered character at {start} or {end - 1}"
    x1 = first["right"] - 1 if first["rtl"] else first["left"] + 1
    x2 = last["left"] + 1 if last["rtl"] else last["right"] - 1
    page.mouse.move(x1, first["middle"])
    page.mouse.down()
    page.mouse.move(x2, last["middle"], steps=8)
    page.mouse.up()


def wait_saved(page: Page) -> None:
    expect(page.locator("#workspace")).to_have_attribute("data-unsaved", "0")
    expect(page.locator("#save-status")).to_contain_text("All changes saved")


def coded_texts(page: Page) -> list[str]:
    """The text of every maximal run of underlined text, in document order."""
    return page.evaluate(
        """() => {
          const runs = [];
          for (const para of document.querySelectorAll("#text .para")) {
            let run = "";
            for (const seg of para.children) {
              if (seg.classList.contains("coded")) run += seg.textContent;
              else if (run) { runs.push(run); run = ""; }
            }
            if (run) runs.push(run);
          }
          return runs;
        }"""
    )
