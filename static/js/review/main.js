// The lead's disagreement review. Every coder's passages are lanes under the text (gold first),
// so their boundaries line up; overlapping passages form units, and a unit where the coders
// differ (someone missing, other codes, other boundaries) is a disagreement. Gold passages are
// written through the workspace's save queue, so a decision survives a lost answer or a reload;
// every decision can be undone.

import { replay, uuid4 } from "../workspace/state.js";
import { requestJson, SyncQueue } from "../workspace/sync.js";

const data = JSON.parse(document.getElementById("review-data").textContent);
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
const rejectedKey = `review-rejected-${data.source.id}`;
const rejected = new Set(JSON.parse(localStorage.getItem(rejectedKey) || "[]"));
const undoStack = [];
let current = 0; // index into the disagreements
let chosen = 0; // index into the current unit's candidates
let formMode = null; // {derivedFrom: [...]} while the gold form is open
let adjudicated = data.adjudicated;

const queue = new SyncQueue({
  storageKey: `review-queue-${data.source.id}`,
  listUrl: data.urls.annotations,
  versionOf: (id) => serverGold.get(id)?.version,
  handlers: {
    saved(op, annotation) {
      if (op.kind === "delete") serverGold.delete(op.id);
      else if (annotation) serverGold.set(annotation.id, annotation);
    },
    rejected(_op, response) {
      const reason = response.data?.message || `the server answered ${response.status}`;
      statusEl.textContent = `A gold change was refused: ${reason}`;
    },
    changed() {
      render();
    },
  },
});

function gold() {
  return [...replay(serverGold, queue.ops, data.me).values()].sort(
    (a, b) => a.start - b.start || a.end - b.end,
  );
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
  for (const unit of out) unit.kinds = differences(unit);
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

// The text is drawn again only when what it shows changes (the gold passages or the code
// filter): moving between disagreements only moves the highlight.
let drawn = null;
let unitsCache = null;
let spansOfDisagreement = [];
let highlighted = [];

function disagreementsNow() {
  unitsCache ??= units();
  return unitsCache;
}

function render() {
  const all = disagreementsNow();
  const disagreements = all.filter((unit) => unit.kinds.length);
  current = Math.min(current, Math.max(disagreements.length - 1, 0));
  const unit = disagreements[current] || null;
  const golds = gold();
  const signature = `${codeFilter.value}#${golds.map((g) => `${g.code}:${g.start}:${g.end}`).join("|")}`;
  if (signature !== drawn) {
    draw(all, golds);
    drawn = signature;
  }
  for (const span of highlighted) span.classList.remove("current");
  highlighted = spansOfDisagreement[current] || [];
  for (const span of highlighted) span.classList.add("current");
  renderUnit(unit, disagreements.length, golds);
  renderStatus();
}

function draw(all, golds) {
  const wanted = codeFilter.value ? Number(codeFilter.value) : null;
  const byLane = new Map(lanes.map((lane) => [lane, []]));
  for (const g of golds) if (wanted === null || g.code === wanted) byLane.get("gold").push(g);
  for (const p of passages) if (wanted === null || p.code === wanted) byLane.get(p.coder).push(p);
  const cuts = new Set([0, textLength]);
  for (const list of byLane.values()) for (const p of list) cuts.add(p.start).add(p.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const sorted = lanes.map((lane) => [...byLane.get(lane)].sort((a, b) => a.start - b.start));
  const next = lanes.map(() => 0);
  let active = lanes.map(() => []);
  const spans = [];
  spansOfDisagreement = [];
  let unitIndex = 0;
  let disagreement = -1;
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
    while (unitIndex < all.length && all[unitIndex].end <= start) {
      if (all[unitIndex].kinds.length) disagreement += 1;
      unitIndex += 1;
    }
    const within = all[unitIndex];
    if (within && within.start <= start && within.kinds.length) {
      span.classList.add("dis");
      const index = disagreement + 1;
      spansOfDisagreement[index] ??= [];
      spansOfDisagreement[index].push(span);
    }
    spans.push(span);
  }
  highlighted = [];
  textEl.style.setProperty("--lanes", String(lanes.length));
  textEl.replaceChildren(...spans);
}

function stateOf(passage, golds) {
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
  candidatesEl.replaceChildren(
    ...candidates.map((p, i) => {
      const item = document.createElement("li");
      item.dataset.id = p.id;
      item.dataset.state = stateOf(p, golds);
      item.classList.toggle("chosen", i === chosen);
      item.textContent = `${p.coder}: ${describe(p)}${item.dataset.state === "open" ? "" : ` · ${item.dataset.state}`}`;
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
  else if (!statusEl.textContent.startsWith("A gold change was refused"))
    statusEl.textContent = "All changes saved";
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

function setRejected(id, on) {
  if (on) rejected.add(id);
  else rejected.delete(id);
  localStorage.setItem(rejectedKey, JSON.stringify([...rejected]));
  render();
}

function reject(passage) {
  // Pressed again on a rejected passage, it reopens it.
  const on = !rejected.has(passage.id);
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
