// The lead's Sources page: inline edits and deletes through the sources API, and uploads
// through the imports API with a progress bar and a report per file. Text is set with
// textContent only, so nothing from a file or a server message is ever run as HTML.

const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

async function api(url, method, body) {
  const response = await fetch(url, {
    method,
    headers: { "X-CSRFToken": csrf, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) {
    const fields = data?.fields ? Object.values(data.fields).flat().join(" ") : "";
    throw new Error(fields || data?.message || `HTTP ${response.status}`);
  }
  return data;
}

// ---- the table: inline edit and delete ----------------------------------------------------

const table = document.getElementById("source-table");

async function save(row, field, value) {
  const status = row.querySelector(".row-status");
  status.textContent = "saving…";
  try {
    await api(`${table.dataset.api}${row.dataset.id}/`, "PATCH", { [field]: value });
    status.textContent = "saved";
  } catch (error) {
    status.textContent = error.message;
    status.classList.add("error");
  }
}

table.addEventListener("focusout", (event) => {
  const cell = event.target.closest("[contenteditable][data-field]");
  if (!cell || cell.textContent === cell.dataset.saved) return;
  cell.dataset.saved = cell.textContent;
  save(cell.closest("tr"), cell.dataset.field, cell.textContent.trim());
});
table.addEventListener("focusin", (event) => {
  const cell = event.target.closest("[contenteditable][data-field]");
  if (cell && cell.dataset.saved === undefined) cell.dataset.saved = cell.textContent;
});
table.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches("[contenteditable]")) {
    event.preventDefault();
    event.target.blur();
  }
});
table.addEventListener("change", (event) => {
  const input = event.target.closest("select[data-field], input[data-field]");
  if (input) save(input.closest("tr"), input.dataset.field, input.value || null);
});
table.addEventListener("click", async (event) => {
  if (!event.target.matches("button.delete")) return;
  const row = event.target.closest("tr");
  try {
    await api(`${table.dataset.api}${row.dataset.id}/`, "DELETE");
    row.remove();
  } catch (error) {
    row.querySelector(".row-status").textContent = error.message;
  }
});

// ---- uploads -------------------------------------------------------------------------------

const uploads = document.getElementById("uploads");
const list = document.getElementById("upload-list");
const tableExtensions = uploads.dataset.tables.split(",");
const fields = uploads.dataset.fields.split(",");

function reportText(file) {
  if (file.status === "failed") return `Not imported: ${file.error}`;
  const parts = [
    `${file.sources_created} source(s) created`,
    `${file.duplicates_skipped} duplicate(s) skipped`,
  ];
  if (file.annotations_created) parts.push(`${file.annotations_created} annotation(s)`);
  if (file.codes_created) parts.push(`${file.codes_created} code(s) created`);
  if (file.users_created.length) {
    parts.push(`inactive accounts created for staff to activate: ${file.users_created.join(", ")}`);
  }
  return `${parts.join(", ")}.`;
}

function showReport(item, job) {
  const files = job.report ? job.report.files : [];
  for (const file of files) {
    item.querySelector(".report").textContent = reportText(file);
    for (const warning of file.warnings) item.append(element("p", { class: "muted" }, warning));
  }
  if (!files.length) item.querySelector(".report").textContent = `Not imported: ${job.error}`;
  item.dataset.state = job.status;
  item.querySelector(".report").classList.toggle("error", job.status === "failed");
  document.getElementById("refresh").hidden = false;
}

async function follow(item, url) {
  const bar = item.querySelector("progress");
  for (;;) {
    const job = await api(url, "GET");
    bar.value = 50 + 50 * job.progress;
    if (job.status === "done" || job.status === "failed") {
      bar.value = 100;
      showReport(item, job);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

function send(item, file, mapping) {
  const form = new FormData();
  form.append("file", file);
  if (mapping) form.append("mapping", JSON.stringify(mapping));
  const request = new XMLHttpRequest();
  const bar = item.querySelector("progress");
  request.upload.addEventListener("progress", (event) => {
    if (event.lengthComputable) bar.value = (50 * event.loaded) / event.total;
  });
  request.addEventListener("load", () => {
    const data = JSON.parse(request.responseText || "{}");
    if (request.status === 202) {
      item.querySelector(".report").textContent = "Importing…";
      follow(item, `/api/imports/${data.id}/`);
    } else {
      item.dataset.state = "failed";
      item.querySelector(".report").textContent = `Not imported: ${data.message || request.status}`;
    }
  });
  request.open("POST", uploads.dataset.imports);
  request.setRequestHeader("X-CSRFToken", csrf);
  request.send(form);
}

function mappingForm(item, file, preview) {
  const box = element("div", { class: "mapping-box" });
  const sample = element("table", { class: "grid preview" });
  const head = sample.createTHead().insertRow();
  for (const name of preview.header) head.append(element("th", {}, name));
  const body = sample.createTBody();
  for (const row of preview.rows) {
    const line = body.insertRow();
    for (const name of preview.header) line.insertCell().textContent = String(row[name] ?? "");
  }
  const mapping = element("div", { class: "mapping" });
  for (const field of fields) {
    const label = element("label", {}, `${field} `);
    const select = element("select", { "data-map": field });
    select.append(element("option", { value: "" }, "—"));
    for (const name of preview.header) {
      const option = element("option", { value: name }, name);
      if (preview.mapping[field] === name) option.selected = true;
      select.append(option);
    }
    label.append(select);
    mapping.append(label);
  }
  const go = element("button", { type: "button" }, "Import with this mapping");
  go.addEventListener("click", () => {
    const chosen = {};
    for (const select of mapping.querySelectorAll("select")) {
      if (select.value) chosen[select.dataset.map] = select.value;
    }
    box.remove();
    send(item, file, chosen);
  });
  box.append(sample, mapping, go);
  item.append(box);
}

async function add(file) {
  const item = element("li", { "data-name": file.name });
  item.append(element("strong", {}, file.name), " ");
  item.append(
    element("progress", { max: "100", value: "0", "aria-label": `${file.name} progress` }),
  );
  item.append(element("p", { class: "report" }, ""));
  list.append(item);
  const lower = file.name.toLowerCase();
  if (!tableExtensions.some((extension) => lower.endsWith(extension))) {
    send(item, file, null);
    return;
  }
  const form = new FormData();
  form.append("file", file);
  const response = await fetch(uploads.dataset.preview, {
    method: "POST",
    headers: { "X-CSRFToken": csrf },
    body: form,
  });
  const preview = await response.json();
  if (!response.ok) {
    item.dataset.state = "failed";
    item.querySelector(".report").textContent =
      `Not imported: ${JSON.stringify(preview.fields || preview.message)}`;
    return;
  }
  item.querySelector(".report").textContent = "Check the columns, then import.";
  mappingForm(item, file, preview);
}

document.getElementById("file-picker").addEventListener("change", (event) => {
  for (const file of event.target.files) add(file);
  event.target.value = "";
});
const zone = document.getElementById("dropzone");
zone.addEventListener("dragover", (event) => {
  event.preventDefault();
  zone.classList.add("over");
});
zone.addEventListener("dragleave", () => zone.classList.remove("over"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("over");
  for (const file of event.dataTransfer.files) add(file);
});
