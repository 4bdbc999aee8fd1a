// Saving through the JSON API without ever losing a change. Every change is an operation in a
// FIFO queue, mirrored to localStorage so that a reload (or a crash) in the middle of an outage
// keeps it. Operations are sent one at a time, in order; a network or server error leaves the
// operation at the head of the queue and retries it with exponential backoff. Creates carry the
// client-chosen UUID, so a retry whose first attempt did reach the server cannot duplicate.

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie
    ? decodeURIComponent(cookie.slice("csrftoken=".length))
    : document.getElementById("csrf-token").value;
}

export async function requestJson(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(method === "GET" ? {} : { "X-CSRFToken": csrfToken() }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  return { status: response.status, data };
}

const retryable = (status) =>
  status === 0 || status >= 500 || [401, 403, 408, 429].includes(status);

export class SyncQueue {
  // `handlers.saved(op, annotation|null)`, `handlers.rejected(op, response)` and
  // `handlers.changed()` are called as operations settle.
  constructor({ storageKey, listUrl, versionOf, handlers }) {
    this.storageKey = storageKey;
    this.listUrl = listUrl;
    this.versionOf = versionOf;
    this.handlers = handlers;
    this.ops = this.#load();
    this.sending = false;
    this.failures = 0;
    this.timer = null;
    this.retryAt = null;
    this.lastError = "";
    window.addEventListener("online", () => this.retryNow());
  }

  #load() {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
    } catch {
      return [];
    }
  }

  #persist() {
    if (this.ops.length) localStorage.setItem(this.storageKey, JSON.stringify(this.ops));
    else localStorage.removeItem(this.storageKey);
  }

  get pending() {
    return this.ops.length;
  }

  isPending(id) {
    return this.ops.some((op) => op.id === id);
  }

  push(op) {
    const waiting = this.ops.filter(
      (queued, i) => queued.id === op.id && !(i === 0 && this.sending) && !queued.tried,
    );
    const create = waiting.find((queued) => queued.kind === "create");
    if (op.kind === "delete" && create) {
      // The server never saw this passage: forget it instead of creating then deleting it.
      this.ops = this.ops.filter((queued) => queued.id !== op.id || !waiting.includes(queued));
    } else if (op.kind === "update" && waiting.length && waiting.at(-1).kind !== "delete") {
      Object.assign(waiting.at(-1).body, op.body);
    } else {
      this.ops.push({ ...op, tried: false });
    }
    this.#persist();
    this.handlers.changed();
    this.retryNow();
  }

  retryNow() {
    clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    this.failures = Math.min(this.failures, 1);
    this.#drain();
  }

  async #drain() {
    if (this.sending) return;
    this.sending = true;
    while (this.ops.length) {
      const op = this.ops[0];
      op.tried = true;
      this.#persist();
      let response;
      try {
        response = await this.#send(op);
      } catch (error) {
        response = { status: 0, data: null, error };
      }
      if (this.ops[0] !== op) continue;
      const outcome = this.#outcome(op, response);
      if (outcome === "retry") {
        this.failures += 1;
        this.lastError = response.status ? `server answered ${response.status}` : "no connection";
        const delay = BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)];
        this.retryAt = Date.now() + delay;
        this.timer = setTimeout(() => this.retryNow(), delay);
        this.sending = false;
        this.handlers.changed();
        return;
      }
      this.failures = 0;
      this.lastError = "";
      this.ops.shift();
      this.#persist();
      if (outcome === "saved") this.handlers.saved(op, op.adopt ?? response.data);
      else this.handlers.rejected(op, response);
      this.handlers.changed();
    }
    this.sending = false;
    this.handlers.changed();
  }

  #send(op) {
    // An operation on another resource (e.g. a passage's rejection) names its own request; it
    // must be idempotent, as any operation may be sent again.
    if (op.url) return requestJson(op.method, op.url, op.body);
    const detail = `${this.listUrl}${op.id}/`;
    if (op.kind === "create") return requestJson("POST", this.listUrl, op.body);
    // The version this change applies to, as the ETag the server sent. Unknown only if the
    // server never answered for this passage; then the change applies to whatever it holds.
    const version = this.versionOf(op.id);
    const ifMatch = { "If-Match": version === undefined ? "*" : `"${version}"` };
    if (op.kind === "update") return requestJson("PATCH", detail, op.body, ifMatch);
    return requestJson("DELETE", detail, undefined, ifMatch);
  }

  #outcome(op, { status, data }) {
    if (retryable(status)) return "retry";
    if (status >= 200 && status < 300) return "saved";
    if (op.kind === "delete" && status === 404) return "saved";
    // A retried update whose first attempt was applied: the server already holds what we want.
    const current = data?.current ?? data;
    if (
      op.kind === "update" &&
      status === 409 &&
      current &&
      Object.entries(op.body).every(([k, v]) => current[k] === v)
    ) {
      op.adopt = current;
      return "saved";
    }
    return "rejected";
  }
}
