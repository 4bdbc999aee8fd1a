// The annotation page: wires the text view, the code picker, the side panels and the save queue.
import { PassageDetails, PassageList, renderLayers } from "./panels.js";
import { installCodeHelp, Picker, renderCodebook } from "./picker.js";
import { TextView } from "./render.js";
import { normalise, replay, uuid4 } from "./state.js";
import { requestJson, SyncQueue } from "./sync.js";
import { TextIndex } from "./text.js";

// Marks for profiling (and the benchmark): `fn` runs once the frame showing the change is painted.
const afterPaint = (fn) => requestAnimationFrame(() => setTimeout(fn));

const CODER_COLOURS = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#000000",
  "#7f7f7f",
];

const data = JSON.parse(document.getElementById("workspace-data").textContent);
const $ = (id) => document.getElementById(id);
const workspace = $("workspace");
const me = data.me.username;
const codes = new Map(data.codes.map((code) => [code.id, code]));
const codersById = new Map(data.coders.map((c) => [c.id, c.username]));
const coderNames = data.coders.map((c) => c.username);
const index = new TextIndex(data.source.text);
const onlyOwn = data.project.blind && !data.lead;

let server = new Map();
let shown = new Map();
const visible = new Set(coderNames);
let pending = null;
let openId = null;
let doneRequested = false;

const coderAt = (name) => Math.max(0, coderNames.indexOf(name));
const letterOf = (name) => String.fromCharCode(65 + (coderAt(name) % 26));
const colourOf = (name) => CODER_COLOURS[coderAt(name) % CODER_COLOURS.length];
// With more than one coder's layer shown, colour and pattern tell coders apart.
let byCoder = false;
const codeOf = (annotation) =>
  codes.get(annotation.code) ?? {
    id: annotation.code,
    name: "?",
    path: "?",
    number: 0,
    colour: "#777777",
  };

function look(annotation) {
  const code = codeOf(annotation);
  if (!byCoder)
    return { colour: code.colour, pattern: code.number - 1, label: String(code.number) };
  const letter = letterOf(annotation.coder);
  return {
    colour: colourOf(annotation.coder),
    pattern: coderAt(annotation.coder),
    label: `${letter}${code.number}`,
  };
}

function describe(annotation) {
  return {
    code: codeOf(annotation),
    coder: annotation.coder,
    own: annotation.coder === me,
    unsaved: queue.isPending(annotation.id),
    label: look(annotation).label,
  };
}

// A lead who has coded nothing on this source has no layer yet; their new passages still show.
const displayed = () =>
  [...shown.values()].filter(
    (a) => visible.has(a.coder) || (a.coder === me && !coderNames.includes(me)),
  );
const own = () => [...shown.values()].filter((a) => a.coder === me);

const view = new TextView($("text"), index, look);
const list = new PassageList({
  list: $("annotation-list"),
  count: $("list-count"),
  describe,
  onOpen: (id) => openPassage(id, { focusList: false }),
});
const details = new PassageDetails({
  section: $("details"),
  body: $("details-body"),
  describe,
  codes: data.codes.filter((code) => !code.retired),
  onCode: changeCode,
  onMemo: editMemo,
  onDelete: deletePassage,
});
const picker = new Picker({
  element: $("picker"),
  filter: $("picker-filter"),
  list: $("picker-list"),
  codes: data.codes.filter((code) => !code.retired),
  onPick: (codeId) => apply(codeId),
  onClose: () => $("text").focus({ preventScroll: true }),
});
renderCodebook($("codebook"), data.codes);
installCodeHelp($("code-help"), codes);

const queue = new SyncQueue({
  storageKey: `nc:queue:${data.me.id}:${data.source.id}`,
  listUrl: data.urls.annotations,
  versionOf: (id) => server.get(id)?.version,
  handlers: { saved, rejected, changed: showStatus },
});

function renderAll() {
  byCoder = [...visible].filter((name) => coderNames.includes(name)).length > 1;
  view.showAll(displayed());
  list.showAll(own());
  details.refresh(shown);
  const counts = new Map();
  for (const a of shown.values()) counts.set(a.coder, (counts.get(a.coder) ?? 0) + 1);
  const coders = coderNames.map((username) => ({ username, own: username === me }));
  renderLayers({
    section: $("layers"),
    body: $("layers-body"),
    coders,
    counts,
    visible,
    letterOf,
    colourOf,
    onToggle: toggleLayer,
  });
}

function toggleLayer(username, on) {
  if (on) visible.add(username);
  else visible.delete(username);
  renderAll();
}

// One passage changed locally: redraw only the lines and list entries it touches.
function changeLocal(before, after) {
  if (after) shown.set(after.id, after);
  else if (before) shown.delete(before.id);
  const show = (a) => (a && visible.has(a.coder) ? a : null);
  view.change(show(before), show(after));
  if ((before ?? after).coder === me) list.change(before, after);
  details.refresh(shown);
}

// A source marked done takes no new passages until its coder reopens it: the page asks.
async function reopenToAdd() {
  if (data.assignment?.status !== "done") return true;
  if (!window.confirm("You marked this source done. Reopen it to add this passage?")) return false;
  const response = await requestJson("POST", data.urls.reopen, {}).catch(() => ({ status: 0 }));
  if (response.status < 200 || response.status >= 300) {
    $("save-status").textContent =
      `Could not reopen the source (${response.status || "no connection"}); try again.`;
    return false;
  }
  data.assignment.status = "in_progress";
  $("assignment-status").textContent = "In progress";
  $("mark-done").disabled = false;
  return true;
}

async function apply(codeId) {
  if (!pending || !codes.has(codeId)) return;
  const selection = pending;
  if (!(await reopenToAdd())) {
    pending = null;
    picker.close();
    return;
  }
  pending = selection;
  const [start, end] = pending;
  const annotation = {
    id: uuid4(),
    code: codeId,
    coder: me,
    start,
    end,
    quote: index.slice(start, end),
    memo: "",
  };
  const body = {
    id: annotation.id,
    source: data.source.id,
    code: codeId,
    start,
    end,
    quote: annotation.quote,
    memo: "",
  };
  pending = null;
  document.getSelection().removeAllRanges();
  picker.close();
  changeLocal(null, annotation);
  queue.push({ kind: "create", id: annotation.id, body });
  view.highlight(annotation);
  openId = annotation.id;
}

function changeCode(id, codeId) {
  const before = shown.get(id);
  if (!before || before.coder !== me || before.code === codeId || !codes.has(codeId)) return;
  changeLocal(before, { ...before, code: codeId });
  queue.push({ kind: "update", id, body: { code: codeId } });
}

function editMemo(id, memo) {
  const before = shown.get(id);
  if (!before || before.memo === memo) return;
  changeLocal(before, { ...before, memo });
  queue.push({ kind: "update", id, body: { memo } });
}

function deletePassage(id) {
  const before = shown.get(id);
  if (!before || before.coder !== me) return;
  changeLocal(before, null);
  queue.push({ kind: "delete", id });
  if (openId === id) closePassage();
}

function openPassage(id, { focusList = true, at = null } = {}) {
  const annotation = shown.get(id);
  if (!annotation) return;
  openId = id;
  view.highlight(annotation);
  view.scrollTo(annotation);
  details.show(at ?? [annotation], id);
  if (focusList) list.focus(id);
}

function closePassage() {
  openId = null;
  view.highlight(null);
  details.show([]);
}

function saved(op, raw) {
  // The server starts an assignment when its first passage is saved.
  const status = $("assignment-status");
  if (op.kind === "create" && status?.textContent === "Assigned")
    status.textContent = "In progress";
  if (op.kind === "delete") server.delete(op.id);
  else {
    const annotation = normalise(raw, codersById);
    server.set(annotation.id, annotation);
    const local = shown.get(annotation.id);
    if (local) local.version = annotation.version;
  }
  list.change(shown.get(op.id), shown.get(op.id));
  details.refresh(shown);
}

function rejected(op, { status, data: body }) {
  const current = body?.current;
  if (status === 409 && current) server.set(current.id, normalise(current, codersById));
  if (op.kind !== "delete" && status === 404) server.delete(op.id);
  // The API's error shape: {status, code, message, fields: {field: [messages]}, current?}.
  const fields = Object.entries(body?.fields ?? {}).map(
    ([field, messages]) => `${field}: ${[messages].flat().join(" ")}`,
  );
  const reason = [body?.message, ...fields].filter(Boolean).join("; ") || `HTTP ${status}`;
  const what = { create: "A new passage", update: "A memo change", delete: "A deletion" }[op.kind];
  $("save-status").dataset.message =
    `${what} was refused by the server (${reason}); the page shows the server's version.`;
  shown = replay(server, queue.ops, me);
  renderAll();
}

function showStatus() {
  const status = $("save-status");
  const unsaved = queue.pending;
  let text = "All changes saved";
  if (unsaved && queue.retryAt) {
    const seconds = Math.max(1, Math.round((queue.retryAt - Date.now()) / 1000));
    text = `${unsaved} unsaved change${unsaved > 1 ? "s" : ""} (${queue.lastError}); retrying in ${seconds} s`;
  } else if (unsaved) text = `Saving ${unsaved} change${unsaved > 1 ? "s" : ""}…`;
  status.textContent = status.dataset.message ? `${text}. ${status.dataset.message}` : text;
  status.classList.toggle("unsaved", unsaved > 0 && queue.retryAt !== null);
  workspace.dataset.unsaved = String(unsaved);
  delete status.dataset.message;
  for (const id of queue.ops.map((op) => op.id))
    if (shown.has(id)) list.change(shown.get(id), shown.get(id));
  if (doneRequested && unsaved === 0) completeAssignment();
}

async function completeAssignment() {
  doneRequested = false;
  const button = $("mark-done");
  const response = await requestJson("POST", data.urls.complete, {}).catch(() => ({ status: 0 }));
  if (response.status >= 200 && response.status < 300) {
    if (data.assignment) data.assignment.status = "done";
    $("assignment-status").textContent = "Done";
    button.disabled = true;
    ($("next-source") ?? $("text")).focus();
  } else {
    button.disabled = false;
    $("save-status").textContent =
      `Could not mark done (${response.status || "no connection"}); try again.`;
  }
}

function markDone() {
  const button = $("mark-done");
  if (!button || button.disabled) return;
  button.disabled = true;
  doneRequested = true;
  showStatus();
}

// --- selection and keyboard ---------------------------------------------------------------

// The passage a code would apply to: the live selection in the text or, once focus has moved
// into the open picker (which takes the selection away), the one the picker was opened for.
// Read at the moment of the key press: the selectionchange event may not have run yet.
function selected() {
  const range = view.selectedRange();
  if (range) pending = range;
  else if (!picker.isOpen) pending = null;
  return pending;
}

document.addEventListener("selectionchange", selected);

function offerPicker() {
  const selection = document.getSelection();
  if (!pending || !selection.rangeCount) return;
  picker.open(selection.getRangeAt(0).getBoundingClientRect());
}

$("text").addEventListener("mouseup", () =>
  setTimeout(() => {
    if (selected()) offerPicker();
  }),
);

$("text").addEventListener("click", (event) => {
  if (view.selectedRange()) return;
  const here = view.annotationsAt(event.target);
  if (!here.length) return closePassage();
  const mine = here.find((a) => a.coder === me) ?? here[0];
  openPassage(mine.id, { focusList: false, at: here });
});

// Hovering a passage names its codes (and coders); the codes' criteria are one click away.
$("text").addEventListener("mouseover", (event) => {
  const segment = event.target.closest(".seg.coded");
  if (!segment || segment.title) return;
  segment.title = view
    .annotationsAt(segment)
    .map((a) => {
      const code = codeOf(a);
      return `${code.number} ${code.path}${a.coder === me ? "" : ` (${a.coder})`}`;
    })
    .join("\n");
});

function extendSelection(event) {
  const selection = document.getSelection();
  if (
    !view.selectedRange() &&
    !(selection.rangeCount && $("text").contains(selection.anchorNode))
  ) {
    const from = shown.get(openId)?.end ?? index.paragraphs[0].start;
    view.select(from, from);
  }
  const forward = event.key === "ArrowRight" || event.key === "ArrowDown";
  const unit =
    event.key === "ArrowUp" || event.key === "ArrowDown"
      ? "line"
      : event.ctrlKey || event.altKey
        ? "word"
        : "character";
  selection.modify("extend", forward ? "forward" : "backward", unit);
  if (selected()) offerPicker();
  else picker.close();
}

const shortcuts = new Map(
  data.codes.filter((c) => c.shortcut && !c.retired).map((c) => [c.shortcut, c.id]),
);

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select")) return;
  if (event.key === "Escape") {
    picker.close();
    closePassage();
    return;
  }
  if (event.altKey && event.shiftKey && event.code === "KeyD") {
    event.preventDefault();
    markDone();
    return;
  }
  if (event.ctrlKey || event.metaKey) {
    if (!(event.shiftKey && event.key.startsWith("Arrow") && document.activeElement === $("text")))
      return;
  }
  if (event.shiftKey && event.key.startsWith("Arrow") && document.activeElement === $("text")) {
    event.preventDefault();
    extendSelection(event);
  } else if (shortcuts.has(event.key.toLowerCase()) && !event.altKey && selected()) {
    event.preventDefault();
    apply(shortcuts.get(event.key.toLowerCase()));
    performance.measure("nc:apply", { start: event.timeStamp, end: performance.now() });
    afterPaint(() =>
      performance.measure("nc:apply-painted", { start: event.timeStamp, end: performance.now() }),
    );
    workspace.dataset.applied = String(Number(workspace.dataset.applied ?? 0) + 1);
  } else if (event.key === "Enter" && !event.target.closest("button, a") && selected()) {
    event.preventDefault();
    offerPicker();
    picker.focus();
  } else if (event.key === "]" || event.key === "[") {
    const next = list.neighbour(openId, event.key === "]" ? 1 : -1);
    if (next) openPassage(next.id);
  } else if (event.key === "Delete" && openId) {
    event.preventDefault();
    deletePassage(openId);
  }
});

$("codebook").addEventListener("click", (event) => {
  const button = event.target.closest("[data-code-id]");
  if (button && selected()) apply(Number(button.dataset.codeId));
});
$("mark-done")?.addEventListener("click", markDone);

// --- start ---------------------------------------------------------------------------------

function load() {
  // The page's data holds one list per field, and no quotes: a quote is the text at the
  // passage's offsets.
  const { id, code, coder, start, end, memo, version } = data.annotations;
  const all = id.map((_, i) =>
    normalise(
      {
        id: id[i],
        code: code[i],
        coder: coder[i],
        start: start[i],
        end: end[i],
        quote: index.slice(start[i], end[i]),
        memo: memo[i],
        version: version[i],
      },
      codersById,
    ),
  );
  server = new Map(all.filter((a) => !onlyOwn || a.coder === me).map((a) => [a.id, a]));
  for (const a of server.values()) {
    if (!coderNames.includes(a.coder)) {
      coderNames.push(a.coder);
      visible.add(a.coder);
    }
  }
}

load();
performance.mark("nc:fetched");
shown = replay(server, queue.ops, me);
renderAll();
showStatus();
queue.retryNow();
workspace.dataset.ready = "1";
performance.mark("nc:ready");
afterPaint(() => performance.mark("nc:painted"));
