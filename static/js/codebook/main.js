// The lead's codebook page: the code tree with drag to move and reorder, a form to add and edit
// codes, retire, merge and split. Every change goes through the codes API, then the tree is
// read again, so the page always shows what the server holds.
import { requestJson } from "../workspace/sync.js";

const config = JSON.parse(document.getElementById("codebook-config").textContent);
const tree = document.getElementById("code-tree");
const treeError = document.getElementById("tree-error");
const showRetired = document.getElementById("show-retired");
const editor = document.getElementById("code-editor");
const form = document.getElementById("code-form");
const actions = document.getElementById("code-actions");
const status = document.getElementById("cb-status");
const FIELDS = ["name", "definition", "inclusion", "exclusion", "example", "colour", "shortcut"];

let codes = [];
let editing = null; // the code being edited, or null while adding one

async function fetchAll(url) {
  const rows = [];
  for (let next = url; next; ) {
    const response = await requestJson("GET", next);
    if (response.status !== 200) throw new Error(message(response));
    rows.push(...response.data.results);
    next = response.data.next;
  }
  return rows;
}

function message(response) {
  const data = response.data || {};
  const fields = Object.entries(data.fields || {}).map(([, texts]) => [].concat(texts).join(" "));
  return fields.length
    ? fields.join(" ")
    : data.message || `The server answered ${response.status}.`;
}

function say(text) {
  status.textContent = text;
}

const byId = (id) => codes.find((code) => code.id === id);
const childrenOf = (parentId) => codes.filter((code) => code.parent === parentId);

function path(code) {
  const names = [];
  for (let node = code; node; node = byId(node.parent)) names.unshift(node.name);
  return names.join(" / ");
}

function isWithin(code, ancestor) {
  for (let node = code; node; node = byId(node.parent)) if (node.id === ancestor.id) return true;
  return false;
}

async function load() {
  codes = await fetchAll(`${config.codes}?page_size=1000`);
  render();
}

function render() {
  tree.replaceChildren(...branch(null, 1));
  treeError.textContent = "";
}

function branch(parentId, level) {
  return childrenOf(parentId)
    .filter((code) => showRetired.checked || !code.retired)
    .map((code) => {
      const item = document.createElement("li");
      item.setAttribute("role", "treeitem");
      item.setAttribute("aria-level", String(level));
      item.dataset.id = code.id;
      item.append(node(code));
      const kids = branch(code.id, level + 1);
      if (kids.length) {
        const group = document.createElement("ul");
        group.setAttribute("role", "group");
        group.append(...kids);
        item.append(group);
      }
      return item;
    });
}

function node(code) {
  const row = document.createElement("div");
  row.className =
    "cb-node" +
    (code.retired ? " retired" : "") +
    (editing && editing.id === code.id ? " selected" : "");
  row.dataset.id = code.id;
  const handle = document.createElement("span");
  handle.className = "cb-handle";
  handle.textContent = "⠿";
  handle.title = "Drag to move";
  handle.draggable = true;
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = code.colour;
  swatch.textContent = "\u00a0";
  const name = document.createElement("button");
  name.type = "button";
  name.className = "link cb-name";
  name.textContent = code.name;
  name.addEventListener("click", () => edit(code));
  row.append(handle, swatch, name);
  if (code.shortcut) {
    const key = document.createElement("kbd");
    key.textContent = code.shortcut;
    row.append(key);
  }
  if (code.retired) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "retired";
    row.append(badge);
  }
  if (code.definition) row.title = code.definition;
  return row;
}

// Drag and drop: the upper quarter of a code drops before it, the lower quarter after it, the
// middle inside it (as its last sub-code).
let dragged = null;

function zone(event, row) {
  const box = row.getBoundingClientRect();
  const y = (event.clientY - box.top) / box.height;
  return y < 0.25 ? "before" : y > 0.75 ? "after" : "inside";
}

tree.addEventListener("dragstart", (event) => {
  const row = event.target.closest(".cb-node");
  if (!row) return;
  dragged = byId(Number(row.dataset.id));
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", String(dragged.id));
});

function clearMarks() {
  for (const row of tree.querySelectorAll(".drop-before, .drop-after, .drop-inside")) {
    row.classList.remove("drop-before", "drop-after", "drop-inside");
  }
}

tree.addEventListener("dragover", (event) => {
  const row = event.target.closest(".cb-node");
  if (!row || !dragged) return;
  const target = byId(Number(row.dataset.id));
  if (isWithin(target, dragged)) return; // not onto itself or its own sub-codes
  event.preventDefault();
  clearMarks();
  row.classList.add(`drop-${zone(event, row)}`);
});

tree.addEventListener("dragleave", clearMarks);
tree.addEventListener("dragend", () => {
  clearMarks();
  dragged = null;
});

tree.addEventListener("drop", async (event) => {
  const row = event.target.closest(".cb-node");
  if (!row || !dragged) return;
  event.preventDefault();
  clearMarks();
  const target = byId(Number(row.dataset.id));
  const moving = dragged;
  dragged = null;
  if (isWithin(target, moving)) return;
  const where = zone(event, row);
  let parent = target.parent;
  let order;
  if (where === "inside") {
    parent = target.id;
    order = childrenOf(target.id).filter((code) => code.id !== moving.id).length;
  } else {
    const siblings = childrenOf(target.parent).filter((code) => code.id !== moving.id);
    order = siblings.indexOf(target) + (where === "after" ? 1 : 0);
  }
  await move(moving, parent, order);
});

async function move(code, parent, order) {
  say(`Moving ${code.name}…`);
  const response = await requestJson("POST", `${config.codes}${code.id}/move/`, { parent, order });
  if (response.status !== 200) {
    treeError.textContent = `${code.name} was not moved: ${message(response)}`;
    say("");
    return;
  }
  await load();
  say(`Moved ${code.name} to ${path(byId(code.id))}.`);
}

// The editor: add or change a code.
function parentChoices(code) {
  const select = form.elements.parent;
  const top = new Option("(top level)", "");
  const options = codes
    .filter((other) => !other.retired && !(code && isWithin(other, code)))
    .map((other) => new Option(path(other), String(other.id)));
  select.replaceChildren(top, ...options);
  select.value = code?.parent ? String(code.parent) : "";
}

function clearErrors() {
  for (const line of form.querySelectorAll(".error")) line.textContent = "";
}

function edit(code) {
  editing = code;
  clearErrors();
  editor.hidden = false;
  document.getElementById("editor-heading").textContent = code ? path(code) : "New code";
  for (const name of FIELDS)
    form.elements[name].value = code ? code[name] : name === "colour" ? "#4e79a7" : "";
  parentChoices(code);
  actions.hidden = !code;
  if (code) {
    const retire = document.getElementById("code-retire");
    retire.textContent = code.retired ? "Bring back" : "Retire";
    document.getElementById("code-merge").disabled = code.retired;
    document.getElementById("code-split").disabled = code.retired;
  }
  render();
  form.elements.name.focus();
}

document.getElementById("add-code").addEventListener("click", () => edit(null));
document.getElementById("code-cancel").addEventListener("click", () => {
  editing = null;
  editor.hidden = true;
  render();
});
showRetired.addEventListener("change", render);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  const body = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value]));
  body.colour = body.colour.toLowerCase();
  body.parent = form.elements.parent.value ? Number(form.elements.parent.value) : null;
  const response = editing
    ? await requestJson("PATCH", `${config.codes}${editing.id}/`, body)
    : await requestJson("POST", config.codes, body);
  if (response.status !== 200 && response.status !== 201) {
    const fields = response.data?.fields || {};
    const shown = Object.entries(fields).filter(([name]) =>
      form.querySelector(`[data-field=${name}]`),
    );
    for (const [name, texts] of shown)
      form.querySelector(`[data-field=${name}]`).textContent = texts.join(" ");
    if (!shown.length)
      form.querySelector("[data-field=non_field_errors]").textContent = message(response);
    return;
  }
  await load();
  edit(byId(response.data.id));
  say(`Saved ${response.data.name}.`);
});

document.getElementById("code-retire").addEventListener("click", async () => {
  const code = editing;
  const response = await requestJson("PATCH", `${config.codes}${code.id}/`, {
    retired: !code.retired,
  });
  if (response.status !== 200) {
    form.querySelector("[data-field=non_field_errors]").textContent = message(response);
    return;
  }
  if (!code.retired) showRetired.checked = true;
  await load();
  edit(byId(code.id));
  say(
    code.retired
      ? `${code.name} is back in the pickers.`
      : `Retired ${code.name}; its passages keep it.`,
  );
});

// Merge: every passage of the code to another code.
const mergeDialog = document.getElementById("merge-dialog");

function targetChoices(select, code) {
  const options = codes
    .filter((other) => !other.retired && other.id !== code.id)
    .map((other) => new Option(path(other), String(other.id)));
  select.replaceChildren(...options);
}

async function passagesOf(code) {
  return fetchAll(`${config.annotations}&code=${code.id}`);
}

document.getElementById("code-merge").addEventListener("click", async () => {
  const code = editing;
  for (const span of mergeDialog.querySelectorAll(".merge-name")) span.textContent = code.name;
  targetChoices(document.getElementById("merge-into"), code);
  document.getElementById("merge-error").textContent = "";
  document.getElementById("merge-count").textContent = "counting…";
  mergeDialog.showModal();
  const count = (await passagesOf(code)).length;
  document.getElementById("merge-count").textContent = `${count} passage${count === 1 ? "" : "s"}`;
});

document.getElementById("merge-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = editing;
  const into = Number(document.getElementById("merge-into").value);
  const response = await requestJson("POST", `${config.codes}${code.id}/merge/`, { into });
  if (response.status !== 200) {
    document.getElementById("merge-error").textContent = message(response);
    return;
  }
  mergeDialog.close();
  showRetired.checked = true;
  await load();
  edit(byId(into));
  say(`Merged ${code.name} into ${path(byId(into))}: ${response.data.passages} passages moved.`);
});

// Split: chosen passages to a new or an existing code.
const splitDialog = document.getElementById("split-dialog");
const splitList = document.getElementById("split-passages");
const splitFilter = document.getElementById("split-filter");
let sourceTitles = null;

function chosenIds() {
  return Array.from(splitList.querySelectorAll("input:checked"), (box) => box.value);
}

function countChosen() {
  document.getElementById("split-chosen").textContent = String(chosenIds().length);
}

function passageItem(passage) {
  const item = document.createElement("li");
  const label = document.createElement("label");
  label.className = "check";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = passage.id;
  const quote = document.createElement("q");
  quote.dir = "auto";
  quote.textContent = passage.quote;
  const where = document.createElement("span");
  where.className = "muted";
  where.textContent = ` ${passage.coder} · ${sourceTitles.get(passage.source) || `source ${passage.source}`} [${passage.start}–${passage.end})`;
  label.append(box, " ", quote, where);
  item.append(label);
  item.dataset.search = `${passage.quote} ${where.textContent}`.toLowerCase();
  return item;
}

document.getElementById("code-split").addEventListener("click", async () => {
  const code = editing;
  for (const span of splitDialog.querySelectorAll(".split-name")) span.textContent = code.name;
  targetChoices(document.getElementById("split-into"), code);
  document.getElementById("split-error").textContent = "";
  document.getElementById("split-new-name").value = "";
  splitFilter.value = "";
  splitList.replaceChildren();
  splitDialog.showModal();
  if (!sourceTitles) {
    const sources = await fetchAll(config.sources);
    sourceTitles = new Map(sources.map((source) => [source.id, source.title]));
  }
  splitList.replaceChildren(...(await passagesOf(code)).map(passageItem));
  countChosen();
});

splitFilter.addEventListener("input", () => {
  const words = splitFilter.value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const item of splitList.children) {
    item.hidden = !words.every((word) => item.dataset.search.includes(word));
  }
});
splitList.addEventListener("change", countChosen);
// Typing a name or picking a code chooses that kind of target.
document.getElementById("split-new-name").addEventListener("input", () => {
  splitDialog.querySelector("input[name=target][value=new]").checked = true;
});
document.getElementById("split-into").addEventListener("change", () => {
  splitDialog.querySelector("input[name=target][value=existing]").checked = true;
});

function selectShown(checked) {
  for (const item of splitList.children)
    if (!item.hidden) item.querySelector("input").checked = checked;
  countChosen();
}
document.getElementById("split-all").addEventListener("click", () => selectShown(true));
document.getElementById("split-none").addEventListener("click", () => selectShown(false));

document.getElementById("split-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = editing;
  const target = splitDialog.querySelector("input[name=target]:checked").value;
  const into =
    target === "new"
      ? { name: document.getElementById("split-new-name").value }
      : Number(document.getElementById("split-into").value);
  const body = { annotations: chosenIds(), into };
  const response = await requestJson("POST", `${config.codes}${code.id}/split/`, body);
  if (response.status !== 200) {
    document.getElementById("split-error").textContent = message(response);
    return;
  }
  splitDialog.close();
  await load();
  edit(byId(code.id));
  say(
    `Moved ${response.data.passages} passages of ${code.name} to ${path(byId(response.data.into.id))}.`,
  );
});

for (const dialog of [mergeDialog, splitDialog]) {
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
}

load().catch((error) => {
  treeError.textContent = `The codebook could not be loaded: ${error.message}`;
});
