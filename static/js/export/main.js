// The export page: follow a background export through the API until its file is ready.

const config = JSON.parse(document.getElementById("export-config").textContent);
const panel = document.getElementById("export-progress");
const job = document.getElementById("export-job").textContent.trim();
const bar = document.getElementById("export-bar");
const label = document.getElementById("export-status");
const link = document.getElementById("export-download");
const failure = document.getElementById("export-error");
const POLL_MS = 700;

async function poll() {
  const response = await fetch(config.status.replace(/\/0\/$/, `/${job}/`), {
    headers: { Accept: "application/json" },
  });
  const state = await response.json();
  if (!response.ok) {
    failure.textContent = state.message || "The export could not be read.";
    return;
  }
  bar.value = state.progress;
  label.textContent = state.status;
  if (state.status === "done") {
    link.href = state.download;
    link.hidden = false;
  } else if (state.status === "failed") {
    failure.textContent = state.error;
  } else {
    setTimeout(poll, POLL_MS);
  }
}

if (job && !panel.hidden) poll();
