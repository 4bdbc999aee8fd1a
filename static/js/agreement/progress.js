// Following a run: poll its progress through the API, then show the server-rendered results
// and the refreshed list of past runs.

const POLL_MS = 500;

// URL templates are reversed with run id 0 in their last numeric segment.
export function withId(template, id) {
  return template.replace(/\/0\/(results\/)?$/, `/${id}/$1`);
}

export class RunProgress {
  constructor(config) {
    this.config = config;
    this.panel = document.getElementById("agreement-progress");
    this.bar = document.getElementById("progress-bar");
    this.label = document.getElementById("progress-text");
    this.runLabel = document.getElementById("progress-run");
    this.failure = document.getElementById("progress-error");
    this.results = document.getElementById("agreement-results");
  }

  follow(id) {
    this.panel.hidden = false;
    this.runLabel.textContent = String(id);
    this.failure.textContent = "";
    this.bar.value = 0;
    this.label.textContent = "queued";
    history.replaceState(null, "", `?run=${id}`);
    this.poll(id);
  }

  async poll(id) {
    let run;
    try {
      const response = await fetch(withId(this.config.run, id), { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      run = await response.json();
    } catch {
      this.label.textContent = "waiting for the server…";
      setTimeout(() => this.poll(id), POLL_MS * 4);
      return;
    }
    this.bar.value = run.progress;
    this.label.textContent = `${run.status} · ${Math.round(run.progress * 100)}%`;
    if (run.status === "done") {
      await this.showResults(id);
      await refreshHistory();
    } else if (run.status === "failed") {
      this.failure.textContent = `The run failed: ${run.error}`;
      await refreshHistory();
    } else {
      setTimeout(() => this.poll(id), POLL_MS);
    }
  }

  async showResults(id) {
    const response = await fetch(withId(this.config.fragment, id), {
      credentials: "same-origin",
    });
    if (!response.ok) {
      this.failure.textContent = `The results could not be loaded (HTTP ${response.status}).`;
      return;
    }
    // Server-rendered, escaped HTML with no scripts: the same fragment as a page load shows.
    this.results.innerHTML = await response.text();
  }
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
