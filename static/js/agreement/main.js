// The agreement page: start a run through the API, follow its progress, then show the
// server-rendered results. Configuration comes from the page's json_script block.
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("agreement-config").textContent);
  const form = document.getElementById("agreement-start");
  const panel = document.getElementById("agreement-progress");
  const bar = document.getElementById("progress-bar");
  const label = document.getElementById("progress-text");
  const runLabel = document.getElementById("progress-run");
  const failure = document.getElementById("progress-error");
  const results = document.getElementById("agreement-results");
  const POLL_MS = 500;

  function withId(template, id) {
    // URL templates are reversed with run id 0 in their last numeric segment.
    return template.replace(/\/0\/(results\/)?$/, "/" + id + "/$1");
  }

  function csrfToken() {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function checked(name) {
    return Array.from(form.querySelectorAll("input[name=" + name + "]:checked"), (box) =>
      Number(box.value),
    );
  }

  function requestBody() {
    const body = {
      level: form.querySelector("input[name=level]:checked").value,
      bootstrap: Number(form.elements.bootstrap.value),
    };
    const sources = Array.from(form.elements.sources.selectedOptions, (o) => Number(o.value));
    if (sources.length) body.sources = sources;
    const coders = checked("coders");
    if (coders.length) body.coders = coders;
    const codes = checked("codes");
    if (codes.length) body.codes = codes;
    return body;
  }

  function showErrors(errors) {
    form.querySelectorAll(".error[data-field]").forEach((slot) => {
      const messages = errors[slot.dataset.field] || [];
      slot.textContent = [].concat(messages).join(" ");
    });
    const known = new Set(Array.from(form.querySelectorAll(".error[data-field]"), (s) => s.dataset.field));
    const other = Object.keys(errors).filter((field) => !known.has(field));
    if (other.length) {
      const slot = form.querySelector(".error[data-field=non_field_errors]");
      slot.textContent += " " + other.map((field) => [].concat(errors[field]).join(" ")).join(" ");
    }
  }

  function flattenErrors(payload) {
    // The API's error shape: {"status", "code", "message", "fields": {field: [messages]}}.
    const fields = payload && typeof payload.fields === "object" ? payload.fields : {};
    if (Object.keys(fields).length) return fields;
    const message = (payload && (payload.message || payload.detail)) || "The run could not be started.";
    return { non_field_errors: [message] };
  }

  async function start(event) {
    event.preventDefault();
    showErrors({});
    const button = document.getElementById("run-start");
    button.disabled = true;
    try {
      const response = await fetch(config.start, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(requestBody()),
      });
      const payload = await response.json().catch(() => ({}));
      if (response.status !== 202) {
        showErrors(flattenErrors(payload));
        return;
      }
      follow(payload.id);
    } catch (error) {
      showErrors({ non_field_errors: ["The server could not be reached: " + error.message] });
    } finally {
      button.disabled = false;
    }
  }

  function follow(id) {
    panel.hidden = false;
    runLabel.textContent = String(id);
    failure.textContent = "";
    bar.value = 0;
    label.textContent = "queued";
    history.replaceState(null, "", "?run=" + id);
    poll(id);
  }

  async function poll(id) {
    let run;
    try {
      const response = await fetch(withId(config.run, id), { credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      run = await response.json();
    } catch (error) {
      label.textContent = "waiting for the server…";
      setTimeout(() => poll(id), POLL_MS * 4);
      return;
    }
    bar.value = run.progress;
    label.textContent = run.status + " · " + Math.round(run.progress * 100) + "%";
    if (run.status === "done") {
      await showResults(id);
      await refreshHistory();
    } else if (run.status === "failed") {
      failure.textContent = "The run failed: " + run.error;
      await refreshHistory();
    } else {
      setTimeout(() => poll(id), POLL_MS);
    }
  }

  async function showResults(id) {
    const response = await fetch(withId(config.fragment, id), { credentials: "same-origin" });
    if (!response.ok) {
      failure.textContent = "The results could not be loaded (HTTP " + response.status + ").";
      return;
    }
    // Server-rendered, escaped HTML with no scripts: the same fragment as a page load shows.
    results.innerHTML = await response.text();
  }

  // The finished run joins the list of past runs: take that list from a fresh render of this
  // page rather than drawing it a second time here.
  async function refreshHistory() {
    const current = document.getElementById("past-runs");
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!current || !response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("past-runs");
    if (fresh) current.replaceWith(document.importNode(fresh, true));
  }

  form.addEventListener("submit", start);
  if (config.follow) poll(config.follow);
})();
