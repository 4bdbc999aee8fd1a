// The lead's disagreement review. Every coder's passages are lanes under the text (gold first),
// so their boundaries line up; overlapping passages form units, and a unit where the coders
// differ (someone missing, other codes, other boundaries) is a disagreement. Gold passages and
// rejected candidates are written through the workspace's save queue, so a decision survives a
// lost answer or a reload; every decision can be undone.

import { RuleCache } from "../workspace/render.js";
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
let started = false;

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
      // The start draws once, after the queue's first settling.
      if (started) render();
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

const LANE_PX = 5;
const rules = new RuleCache();

function laneColour(list, start) {
  // The passage of a lane covering [start, …): its code's colour.
  const hit = list.find((p) => p.start <= start && p.end > start);
  return hit ? codes.get(hit.code)?.colour || "#444" : null;
}

// The lanes of a segment as stacked lines, one stylesheet rule per combination of lane colours
// in use: a class name per span is far cheaper to build and style than inline background layers.
function lanesClass(colours) {
  return rules.name(`lanes|${colours.join("|")}`, (name) => {
    const images = [];
    const positions = [];
    colours.forEach((colour, k) => {
      if (!colour) return;
      images.push(`linear-gradient(${colour}, ${colour})`);
      positions.push(`0 calc(100% - ${(lanes.length - 1 - k) * LANE_PX + 1}px)`);
    });
    return `.${name}{background-image:${images.join(",")};background-position:${positions.join(",")};background-size:100% 3px;background-repeat:no-repeat}`;
  });
}

// The text is a block per paragraph (its line break included). A paragraph first holds its
// text as one span, which wraps exactly as its drawn form does (lanes only add room below the
// text), and is drawn, as a run of spans cut wherever a shown passage starts or ends, when it
// comes near the view or holds the disagreement shown; once drawn it stays drawn. So opening
// the page builds a few paragraphs, not every segment of a long source. A gold decision draws
// again only the drawn paragraphs it touches (the result is what drawing everything would
// give), and moving between disagreements only moves the highlight.
const paragraphStarts = [0];
for (let i = 0; i < textLength; i += 1)
  if (text[units16[i]] === "\n" && i + 1 < textLength) paragraphStarts.push(i + 1);
const paragraphEnd = (k) => paragraphStarts[k + 1] ?? textLength;
let paragraphEls = [];
const paragraphIndex = new Map();
let paragraphSpans = []; // per paragraph, [span, index of its disagreement or -1] pairs once drawn
let drawnFilter = null;
let coderLanes = []; // per coder, the shown passages in order of start
let drawnGold = new Set(); // keys of the gold passages the spans show
let goldLane = [];
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

// The paragraphs holding code points [start, end), as [first, last].
const paragraphsOf = (start, end) => [
  after(paragraphStarts, start) - 1,
  after(paragraphStarts, Math.max(start, end - 1)) - 1,
];

// Near the view means within a box's height above or below it.
const nearView = new IntersectionObserver(
  (entries) => {
    const seen = entries.filter((entry) => entry.isIntersecting);
    const indexes = seen.map((entry) => paragraphIndex.get(entry.target));
    drawEach(
      indexes.sort((a, b) => a - b).filter((k) => !paragraphSpans[k]),
      disagreementsNow(),
    );
  },
  { root: textEl, rootMargin: "100% 0px" },
);

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
  highlighted = unit ? spansOfUnit(unit, all) : [];
  for (const span of highlighted) span.classList.add("current");
  renderUnit(unit, disagreements.length, golds);
  drawVisible(all);
  renderStatus();
}

// The spans of a disagreement, its paragraphs drawn first.
function spansOfUnit(unit, all) {
  const [first, last] = paragraphsOf(unit.start, unit.end);
  const paragraphs = [];
  for (let k = first; k <= last; k += 1) paragraphs.push(k);
  drawEach(
    paragraphs.filter((k) => !paragraphSpans[k]),
    all,
  );
  return paragraphs.flatMap((k) =>
    paragraphSpans[k].filter(([, index]) => index === unit.disagreement).map(([span]) => span),
  );
}

// Draws the paragraphs within the text's box, so that the frame about to be painted shows every
// lane there (the observer answers only after that frame). Boxes only: drawing moves nothing.
function drawVisible(all) {
  const box = textEl.getBoundingClientRect();
  let [lo, hi] = [0, paragraphEls.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (paragraphEls[mid].getBoundingClientRect().bottom <= box.top) lo = mid + 1;
    else hi = mid;
  }
  const missing = [];
  for (let k = lo; k < paragraphEls.length; k += 1) {
    if (paragraphEls[k].getBoundingClientRect().top >= box.bottom) break;
    if (!paragraphSpans[k]) missing.push(k);
  }
  drawEach(missing, all);
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
  drawnFilter = codeFilter.value;
  if (paragraphEls.length) {
    drawEach(
      [...paragraphSpans.keys()].filter((k) => paragraphSpans[k]),
      all,
    );
    return;
  }
  paragraphEls = paragraphStarts.map((start, k) => {
    const element = document.createElement("div");
    element.className = "rv-p";
    if (paragraphEnd(k) > start) {
      const span = document.createElement("span");
      span.dataset.s = start;
      span.textContent = slice(start, paragraphEnd(k));
      element.append(span);
    }
    paragraphIndex.set(element, k);
    return element;
  });
  paragraphSpans = paragraphStarts.map(() => null);
  textEl.style.setProperty("--lanes", String(lanes.length));
  textEl.replaceChildren(...paragraphEls);
  for (const element of paragraphEls) nearView.observe(element);
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
    const [first, last] = paragraphsOf(g.start, g.end);
    const drawn = [];
    for (let k = first; k <= last; k += 1) if (paragraphSpans[k]) drawn.push(k);
    drawEach(drawn, all);
  }
}

// Draws the paragraphs at `indexes` (ascending), a run of neighbours at a time.
function drawEach(indexes, all) {
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j += 1;
    drawParagraphs(indexes[i], indexes[j], all);
    i = j + 1;
  }
}

// Fills paragraphs `first` to `last` with their spans.
function drawParagraphs(first, last, all) {
  const pieces = piecesBetween(first, last, all);
  for (let k = first; k <= last; k += 1) {
    paragraphEls[k].replaceChildren(...pieces[k - first].map(([span]) => span));
    paragraphSpans[k] = pieces[k - first];
    nearView.unobserve(paragraphEls[k]);
  }
}

// The first unit of `all` ending after `x`.
function unitAfter(all, x) {
  let [lo, hi] = [0, all.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].end <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Per paragraph `first` to `last`, its [span, index of its disagreement or -1] pairs: each span
// shows its lanes' colours as stacked lines and lies in one paragraph.
function piecesBetween(first, last, all) {
  const [from, to] = [paragraphStarts[first], paragraphEnd(last)];
  const sorted = [goldLane, ...coderLanes].map((lane) =>
    lane.filter((p) => p.start < to && p.end > from),
  );
  const cuts = new Set([from, to]);
  for (const lane of sorted)
    for (const p of lane) {
      if (p.start > from) cuts.add(p.start);
      if (p.end < to) cuts.add(p.end);
    }
  for (let k = first + 1; k <= last; k += 1) cuts.add(paragraphStarts[k]);
  const bounds = [...cuts].sort((a, b) => a - b);
  const next = lanes.map(() => 0);
  let active = lanes.map(() => []);
  const pieces = [[]];
  let k = first;
  let unitIndex = unitAfter(all, from);
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const span = document.createElement("span");
    span.dataset.s = start;
    span.textContent = slice(start, end);
    let coloured = false;
    const colours = [];
    active = active.map((list, lane) => {
      const queued = sorted[lane];
      while (next[lane] < queued.length && queued[next[lane]].start <= start) {
        list.push(queued[next[lane]]);
        next[lane] += 1;
      }
      const open = list.filter((p) => p.end > start);
      const colour = laneColour(open, start);
      colours.push(colour);
      coloured ||= colour !== null;
      return open;
    });
    const classes = coloured ? [lanesClass(colours)] : [];
    while (unitIndex < all.length && all[unitIndex].end <= start) unitIndex += 1;
    const within = all[unitIndex];
    let index = -1;
    if (within && within.start <= start && within.kinds.length) {
      classes.push("dis");
      index = within.disagreement;
    }
    if (classes.length) span.className = classes.join(" ");
    while (start >= paragraphEnd(k)) {
      k += 1;
      pieces.push([]);
    }
    pieces.at(-1).push([span, index]);
  }
  while (pieces.length <= last - first) pieces.push([]);
  return pieces;
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
  if (highlighted.length && !formMode) highlighted[0].scrollIntoView({ block: "nearest" });
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
queue.retryNow();
started = true;
render();
root.dataset.ready = "1";
performance.mark("nc:ready");
afterPaint(() => performance.mark("nc:painted"));
