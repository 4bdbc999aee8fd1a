// The lead's disagreement review. Every coder's passages are lanes under the text (gold first),
// so their boundaries line up; overlapping passages form units, and a unit where the coders
// differ (someone missing, other codes, other boundaries) is a disagreement. Gold passages and
// rejected candidates are written through the workspace's save queue, so a decision survives a
// lost answer or a reload; every decision can be undone.

import { replay, uuid4 } from "../workspace/state.js";
import { requestJson, SyncQueue } from "../workspace/sync.js";

const data = JSON.parse(document.getElementById("review-data").textContent);
performance.mark("nc:fetched");
const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn));
// Keys that change the gold standard or a candidate, timed as decisions; the others as moves.
const DECISION_KEYS = new Set(["a", "r", "x", "u"]);
const root = document.getElementById("review");
const textEl = document.getElementById("rv-text");
const statusEl = document.getElementById("save-status");
const codeFilter = document.getElementById("code-filter");
const candidatesEl = document.getElementById("candidates");
const unitGoldEl = document.getElementById("unit-gold");
const form = document.getElementById("gold-form");
const adjudicatedButton = document.getElementById("mark-adjudicated");

// Offsets are code points; JavaScript strings index UTF-16 units.
const text = data.source.text;
const units16 = [0];
for (const ch of text) units16.push(units16.at(-1) + ch.length);
const textLength = units16.length - 1;
const slice = (start, end) => text.slice(units16[start], units16[end]);

const codes = new Map(data.codes.map((code) => [code.id, code]));
const columns = data.passages;
const passages = columns.id.map((id, i) => ({
  id,
  code: columns.code[i],
  coder: columns.coder[i],
  start: columns.start[i],
  end: columns.end[i],
}));
const coders = data.coders.filter((name) => passages.some((p) => p.coder === name));
const lanes = ["gold", ...coders];
const serverGold = new Map(data.gold.map((gold) => [gold.id, gold]));
const serverRejected = new Set(data.rejected);
const undoStack = [];
let current = 0; // index into the disagreements
let chosen = 0; // index into the current unit's candidates
let formMode = null; // {derivedFrom: [...]} while the gold form is open
let adjudicated = data.adjudicated;
let refusal = "";

const queue = new SyncQueue({
  storageKey: `review-queue-${data.source.id}`,
  listUrl: data.urls.annotations,
  versionOf: (id) => serverGold.get(id)?.version,
  handlers: {
    saved(op, annotation) {
      if (op.kind === "reject") serverRejected.add(op.id);
      else if (op.kind === "reopen") serverRejected.delete(op.id);
      else if (op.kind === "delete") serverGold.delete(op.id);
      else if (annotation) serverGold.set(annotation.id, annotation);
    },
    rejected(op, response) {
      const reason = response.data?.message || `the server answered ${response.status}`;
      const what = ["reject", "reopen"].includes(op.kind) ? "A rejection" : "A gold change";
      refusal = `${what} was refused: ${reason}`;
      statusEl.textContent = refusal;
    },
    changed() {
      render();
    },
  },
});

// In a fixed order (ties by id), so that what the text shows depends only on which passages
// there are.
function gold() {
  return [...replay(serverGold, queue.ops, data.me).values()].sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

// The server's rejections with the queued ones applied on top.
function rejectedNow() {
  const shown = new Set(serverRejected);
  for (const op of queue.ops) {
    if (op.kind === "reject") shown.add(op.id);
    else if (op.kind === "reopen") shown.delete(op.id);
  }
  return shown;
}

// ---- units and disagreements ------------------------------------------------------------------

function units() {
  const wanted = codeFilter.value ? Number(codeFilter.value) : null;
  const shown = passages
    .filter((p) => wanted === null || p.code === wanted)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out = [];
  for (const passage of shown) {
    const last = out.at(-1);
    if (last && passage.start < last.end) {
      last.items.push(passage);
      last.end = Math.max(last.end, passage.end);
    } else out.push({ start: passage.start, end: passage.end, items: [passage] });
  }
  let disagreements = 0;
  for (const unit of out) {
    unit.kinds = differences(unit);
    unit.disagreement = unit.kinds.length ? disagreements++ : -1;
  }
  return out;
}

function differences(unit) {
  const byCoder = new Map();
  for (const p of unit.items) byCoder.set(p.coder, [...(byCoder.get(p.coder) || []), p]);
  const missing = coders.filter((name) => !byCoder.has(name));
  const kinds = [];
  if (missing.length)
    kinds.push(`only ${[...byCoder.keys()].join(", ")} (not ${missing.join(", ")})`);
  if (new Set(unit.items.map((p) => p.code)).size > 1) kinds.push("different codes");
  if (new Set(unit.items.map((p) => `${p.start}:${p.end}`)).size > 1)
    kinds.push("boundaries differ");
  if (!kinds.length && [...byCoder.values()].some((list) => list.length > 1))
    kinds.push("a coder coded it twice");
  return kinds;
}

// ---- drawing ----------------------------------------------------------------------------------

function laneColour(list, start) {
  // The passage of a lane covering [start, …): its code's colour.
  const hit = list.find((p) => p.start <= start && p.end > start);
  return hit ? codes.get(hit.code)?.colour || "#444" : null;
}

// The text is a block per paragraph (its line break included), each a run of spans cut wherever
// a shown passage starts or ends. Paragraphs off screen are neither laid out nor painted, and a
// gold decision draws again only the paragraphs it touches (the result is what drawing
// everything would give). Moving between disagreements only moves the highlight.
const paragraphStarts = [0];
for (let i = 0; i < textLength; i += 1)
  if (text[units16[i]] === "\n" && i + 1 < textLength) paragraphStarts.push(i + 1);
const paragraphEnd = (k) => paragraphStarts[k + 1] ?? textLength;
let paragraphEls = [];
let paragraphSpans = []; // per paragraph, [span, index of its disagreement or -1] pairs
let drawnFilter = null;
let coderLanes = []; // per coder, the shown passages in order of start
let drawnGold = new Set(); // keys of the gold passages the spans show
let goldLane = [];
let spansOfDisagreement = [];
let highlighted = [];
let unitsCache = null;

function disagreementsNow() {
  unitsCache ??= units();
  return unitsCache;
}

const wantedCode = () => (codeFilter.value ? Number(codeFilter.value) : null);
const goldKey = (g) => `${g.id}:${g.code}:${g.start}:${g.end}`;

// The first index of the sorted `values` whose value is above `x`.
function after(values, x) {
  let [lo, hi] = [0, values.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function render() {
  const all = disagreementsNow();
  const disagreements = all.filter((unit) => unit.kinds.length);
  current = Math.min(current, Math.max(disagreements.length - 1, 0));
  const unit = disagreements[current] || null;
  const golds = gold();
  const wanted = wantedCode();
  const shownGold = golds.filter((g) => wanted === null || g.code === wanted);
  if (drawnFilter !== codeFilter.value) drawAll(all, shownGold);
  else drawChanges(all, shownGold);
  for (const span of highlighted) span.classList.remove("current");
  highlighted = spansOfDisagreement[current] || [];
  for (const span of highlighted) span.classList.add("current");
  renderUnit(unit, disagreements.length, golds);
  renderStatus();
}

function drawAll(all, shownGold) {
  const wanted = wantedCode();
  coderLanes = coders.map((name) =>
    passages
      .filter((p) => p.coder === name && (wanted === null || p.code === wanted))
      .sort((a, b) => a.start - b.start),
  );
  goldLane = shownGold;
  drawnGold = new Set(shownGold.map(goldKey));
  spansOfDisagreement = [];
  paragraphSpans = paragraphStarts.map(() => []);
  paragraphEls = paragraphStarts.map(() => {
    const element = document.createElement("div");
    element.className = "rv-p";
    return element;
  });
  drawParagraphs(0, paragraphStarts.length - 1, all);
  highlighted = [];
  drawnFilter = codeFilter.value;
  textEl.style.setProperty("--lanes", String(lanes.length));
  textEl.replaceChildren(...paragraphEls);
}

function drawChanges(all, shownGold) {
  const now = new Set(shownGold.map(goldKey));
  const changed = [
    ...goldLane.filter((g) => !now.has(goldKey(g))),
    ...shownGold.filter((g) => !drawnGold.has(goldKey(g))),
  ];
  goldLane = shownGold;
  drawnGold = now;
  for (const g of changed) {
    const first = after(paragraphStarts, g.start) - 1;
    const last = after(paragraphStarts, g.end - 1) - 1;
    for (let k = first; k <= last; k += 1)
      for (const [span, index] of paragraphSpans[k])
        if (index >= 0)
          spansOfDisagreement[index] = spansOfDisagreement[index].filter((s) => s !== span);
    drawParagraphs(first, last, all);
  }
}

// Fills paragraphs `first` to `last` with their spans.
function drawParagraphs(first, last, all) {
  const drawn = spansBetween(paragraphStarts[first], paragraphEnd(last), all);
  let k = first;
  let pieces = [];
  const flush = () => {
    paragraphEls[k].replaceChildren(...pieces.map(([span]) => span));
    paragraphSpans[k] = pieces;
    pieces = [];
  };
  for (const piece of drawn) {
    while (Number(piece[0].dataset.s) >= paragraphEnd(k)) {
      flush();
      k += 1;
    }
    pieces.push(piece);
  }
  for (; k <= last; k += 1) flush();
}

// The [span, index of its disagreement or -1] pairs of [from, to), both paragraph starts (or
// the end): each span shows its lanes' colours as stacked lines and lies in one paragraph.
function spansBetween(from, to, all) {
  const sorted = [goldLane, ...coderLanes].map((lane) =>
    lane.filter((p) => p.start < to && p.end > from),
  );
  const cuts = new Set([from, to]);
  for (const lane of sorted)
    for (const p of lane) {
      if (p.start > from) cuts.add(p.start);
      if (p.end < to) cuts.add(p.end);
    }
  for (let k = after(paragraphStarts, from); paragraphStarts[k] < to; k += 1)
    cuts.add(paragraphStarts[k]);
  const bounds = [...cuts].sort((a, b) => a - b);
  const next = lanes.map(() => 0);
  let active = lanes.map(() => []);
  const drawn = [];
  let unitIndex = after(
    all.map((unit) => unit.end),
    from,
  );
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const span = document.createElement("span");
    span.dataset.s = start;
    span.textContent = slice(start, end);
    const images = [];
    const positions = [];
    active = active.map((list, k) => {
      const queued = sorted[k];
      while (next[k] < queued.length && queued[next[k]].start <= start) {
        list.push(queued[next[k]]);
        next[k] += 1;
      }
      const open = list.filter((p) => p.end > start);
      const colour = laneColour(open, start);
      if (colour) {
        images.push(`linear-gradient(${colour}, ${colour})`);
        positions.push(`0 calc(100% - ${(lanes.length - 1 - k) * 5 + 1}px)`);
      }
      return open;
    });
    if (images.length) {
      span.style.backgroundImage = images.join(", ");
      span.style.backgroundPosition = positions.join(", ");
      span.style.backgroundSize = "100% 3px";
      span.style.backgroundRepeat = "no-repeat";
    }
    while (unitIndex < all.length && all[unitIndex].end <= start) unitIndex += 1;
    const within = all[unitIndex];
    let index = -1;
    if (within && within.start <= start && within.kinds.length) {
      span.classList.add("dis");
      index = within.disagreement;
      spansOfDisagreement[index] ??= [];
      spansOfDisagreement[index].push(span);
    }
    drawn.push([span, index]);
  }
  return drawn;
}

function stateOf(passage, golds, rejected) {
  if (golds.some((g) => (g.derived_from || []).includes(passage.id))) return "accepted";
  return rejected.has(passage.id) ? "rejected" : "open";
}

function describe(p) {
  const code = codes.get(p.code);
  return `${code ? code.path : `code ${p.code}`} [${p.start}–${p.end}) “${slice(p.start, p.end)}”`;
}

function candidatesOf(unit) {
  return unit
    ? [...unit.items].sort(
        (a, b) => lanes.indexOf(a.coder) - lanes.indexOf(b.coder) || a.start - b.start,
      )
    : [];
}

function renderUnit(unit, count, golds) {
  document.getElementById("unit-position").textContent = count
    ? `${current + 1} of ${count}`
    : "none left";
  document.getElementById("unit-kind").textContent = unit
    ? unit.kinds.join("; ")
    : "The coders agree everywhere shown.";
  const candidates = candidatesOf(unit);
  chosen = Math.min(chosen, Math.max(candidates.length - 1, 0));
  const rejected = rejectedNow();
  candidatesEl.replaceChildren(
    ...candidates.map((p, i) => {
      const item = document.createElement("li");
      item.dataset.id = p.id;
      item.dataset.state = stateOf(p, golds, rejected);
      item.classList.toggle("chosen", i === chosen);
      const state = item.dataset.state === "open" ? "" : ` · ${item.dataset.state}`;
      const unsaved = queue.isPending(p.id) ? " · unsaved" : "";
      item.textContent = `${p.coder}: ${describe(p)}${state}${unsaved}`;
      item.addEventListener("click", () => {
        chosen = i;
        render();
      });
      return item;
    }),
  );
  const here = unit ? golds.filter((g) => g.start < unit.end && g.end > unit.start) : [];
  unitGoldEl.replaceChildren(
    ...here.map((g) => {
      const item = document.createElement("li");
      item.dataset.id = g.id;
      item.textContent = `gold: ${describe(g)}${queue.isPending(g.id) ? " · unsaved" : ""}`;
      return item;
    }),
  );
  const first = textEl.querySelector("span.current");
  if (first && !formMode) first.scrollIntoView({ block: "nearest" });
}

function renderStatus() {
  root.dataset.unsaved = String(queue.pending);
  root.dataset.gold = String(gold().length);
  if (queue.lastError) statusEl.textContent = `Not saved yet (${queue.lastError}); retrying…`;
  else if (queue.pending) statusEl.textContent = "Saving…";
  else if (!refusal || statusEl.textContent !== refusal) statusEl.textContent = "All changes saved";
  adjudicatedButton.textContent = adjudicated ? "Reopen adjudication" : "Mark adjudicated";
  root.dataset.adjudicated = adjudicated ? "1" : "0";
}

// ---- decisions --------------------------------------------------------------------------------

function currentUnit() {
  return disagreementsNow().filter((unit) => unit.kinds.length)[current] || null;
}

function chosenCandidate() {
  return candidatesOf(currentUnit())[chosen] || null;
}

function createGold({ code, start, end, derivedFrom }) {
  const id = uuid4();
  const body = {
    id,
    source: data.source.id,
    code,
    start,
    end,
    layer: "gold",
    derived_from: derivedFrom,
  };
  queue.push({ kind: "create", id, body });
  return id;
}

function accept(passage) {
  // Every coder who made exactly this passage agreed on it: all are its sources.
  const same = currentUnit().items.filter(
    (p) => p.code === passage.code && p.start === passage.start && p.end === passage.end,
  );
  const id = createGold({ ...passage, derivedFrom: same.map((p) => p.id) });
  undoStack.push({ kind: "gold", id });
}

// Both requests are idempotent, as the queue requires: a retry of one that did reach the server
// changes nothing.
function setRejected(id, on) {
  queue.push(
    on
      ? { kind: "reject", id, method: "POST", url: data.urls.rejections, body: { annotation: id } }
      : { kind: "reopen", id, method: "DELETE", url: `${data.urls.rejections}${id}/` },
  );
}

function reject(passage) {
  // Pressed again on a rejected passage, it reopens it.
  const on = !rejectedNow().has(passage.id);
  setRejected(passage.id, on);
  undoStack.push({ kind: "reject", id: passage.id, on });
}

function removeGold() {
  const unit = currentUnit();
  const here = unit ? gold().filter((g) => g.start < unit.end && g.end > unit.start) : [];
  const last = here.at(-1);
  if (!last) return;
  queue.push({ kind: "delete", id: last.id });
  undoStack.push({ kind: "removed", gold: last });
}

function undo() {
  const step = undoStack.pop();
  if (!step) return;
  if (step.kind === "gold") queue.push({ kind: "delete", id: step.id });
  else if (step.kind === "reject") setRejected(step.id, !step.on);
  else {
    // A deleted id is never reused (a late retry must not revive it): the passage comes back anew.
    const { code, start, end } = step.gold;
    createGold({ code, start, end, derivedFrom: step.gold.derived_from || [] });
  }
  statusEl.textContent = "Undone.";
  renderStatus();
}

function openForm(title, { code, start, end, derivedFrom }) {
  formMode = { derivedFrom };
  document.getElementById("gold-form-title").textContent = title;
  document.getElementById("gold-code").value = String(code);
  document.getElementById("gold-start").value = start;
  document.getElementById("gold-end").value = end;
  document.getElementById("gold-error").textContent = "";
  form.hidden = false;
  showQuote();
  document.getElementById("gold-start").focus();
}

function closeForm() {
  formMode = null;
  form.hidden = true;
  textEl.focus();
}

function showQuote() {
  const start = Number(document.getElementById("gold-start").value);
  const end = Number(document.getElementById("gold-end").value);
  document.getElementById("gold-quote").textContent =
    start < end && end <= textLength ? `“${slice(start, end)}”` : "";
}

function selectedOffsets() {
  const selection = document.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const at = (node, offset) => {
    const span = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(
      "#rv-text span",
    );
    if (!span) return null;
    return Number(span.dataset.s) + Array.from(span.textContent.slice(0, offset)).length;
  };
  const start = at(range.startContainer, range.startOffset);
  const end = at(range.endContainer, range.endOffset);
  return start !== null && end !== null && start < end ? [start, end] : null;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = Number(document.getElementById("gold-code").value);
  const start = Number(document.getElementById("gold-start").value);
  const end = Number(document.getElementById("gold-end").value);
  if (
    !(
      Number.isInteger(start) &&
      Number.isInteger(end) &&
      start >= 0 &&
      start < end &&
      end <= textLength
    )
  ) {
    document.getElementById("gold-error").textContent = `Give 0 ≤ start < end ≤ ${textLength}.`;
    return;
  }
  const id = createGold({ code, start, end, derivedFrom: formMode.derivedFrom });
  undoStack.push({ kind: "gold", id });
  closeForm();
});
document.getElementById("gold-cancel").addEventListener("click", closeForm);
document.getElementById("gold-start").addEventListener("input", showQuote);
document.getElementById("gold-end").addEventListener("input", showQuote);

function move(step) {
  const count = disagreementsNow().filter((unit) => unit.kinds.length).length;
  if (!count) return;
  current = (current + step + count) % count;
  chosen = 0;
  render();
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, select, textarea")) {
    if (event.key === "Escape" && formMode) closeForm();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const passage = chosenCandidate();
  const unit = currentUnit();
  const keys = {
    n: () => move(1),
    "]": () => move(1),
    p: () => move(-1),
    "[": () => move(-1),
    ArrowDown: () => {
      chosen = Math.min(chosen + 1, candidatesOf(unit).length - 1);
      render();
    },
    ArrowUp: () => {
      chosen = Math.max(chosen - 1, 0);
      render();
    },
    a: () => passage && accept(passage),
    e: () => passage && openForm("Accept with changes", { ...passage, derivedFrom: [passage.id] }),
    g: () => {
      const picked = selectedOffsets() || (unit ? [unit.start, unit.end] : null);
      const code =
        Number(codeFilter.value) ||
        (passage ? passage.code : data.codes.find((c) => !c.retired)?.id);
      if (picked)
        openForm("Your own gold passage", {
          code,
          start: picked[0],
          end: picked[1],
          derivedFrom: [],
        });
    },
    r: () => passage && reject(passage),
    x: removeGold,
    u: undo,
  };
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  action();
  const name = DECISION_KEYS.has(event.key) ? "nc:decision" : "nc:key";
  performance.measure(name, { start: event.timeStamp, end: performance.now() });
  afterPaint(() =>
    performance.measure(`${name}-painted`, { start: event.timeStamp, end: performance.now() }),
  );
});

adjudicatedButton.addEventListener("click", async () => {
  const response = await requestJson(adjudicated ? "DELETE" : "POST", data.urls.adjudication);
  if (response.status === 200) adjudicated = response.data.adjudicated;
  else statusEl.textContent = `Not changed: ${response.data?.message || response.status}`;
  renderStatus();
});

// ---- start ------------------------------------------------------------------------------------

for (const code of data.codes) {
  if (code.retired) continue;
  const label = `${"· ".repeat(code.depth)}${code.name}`;
  codeFilter.append(new Option(label, String(code.id)));
  document.getElementById("gold-code").append(new Option(label, String(code.id)));
}
codeFilter.addEventListener("change", () => {
  unitsCache = null;
  current = 0;
  chosen = 0;
  render();
});
const legend = document.getElementById("lanes-legend");
legend.replaceChildren(
  ...lanes.map((lane, k) => {
    const item = document.createElement("li");
    item.dataset.lane = String(k + 1);
    item.textContent = lane;
    return item;
  }),
);
render();
queue.retryNow();
root.dataset.ready = "1";
performance.mark("nc:ready");
afterPaint(() => performance.mark("nc:painted"));
