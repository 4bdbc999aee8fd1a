// The rounds page: filter the source list by title and tick every source shown at once. The
// form posts without this script too; it only saves ticking sources one by one.
const rows = [...document.querySelectorAll("#source-choices tbody tr")];
const filter = document.getElementById("source-filter");
const count = document.getElementById("source-count");

function boxes(shownOnly) {
  return rows.filter((row) => !(shownOnly && row.hidden)).map((row) => row.querySelector("input"));
}

function showCount() {
  const ticked = boxes(false).filter((box) => box.checked).length;
  const shown = rows.filter((row) => !row.hidden).length;
  count.textContent = `${ticked} selected; ${shown} of ${rows.length} shown`;
}

filter.addEventListener("input", () => {
  const wanted = filter.value.trim().toLocaleLowerCase();
  for (const row of rows) row.hidden = !row.dataset.title.includes(wanted);
  showCount();
});

// Enter in the filter would submit the whole form.
filter.addEventListener("keydown", (event) => {
  if (event.key === "Enter") event.preventDefault();
});

document.getElementById("select-shown").addEventListener("click", () => {
  for (const box of boxes(true)) box.checked = true;
  showCount();
});

document.getElementById("clear-sources").addEventListener("click", () => {
  for (const box of boxes(false)) box.checked = false;
  showCount();
});

document.getElementById("source-choices")?.addEventListener("change", showCount);
showCount();
// Tests and scripts wait for this before they use the filter or the buttons.
document.getElementById("round-form").dataset.ready = "1";
