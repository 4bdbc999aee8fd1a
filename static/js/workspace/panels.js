// The side panels: the coder's passages in text order, the open passage (code, quote, memo,
// change of code, delete) and, for leads and open projects, which coders' layers are shown.
import { swatch } from "./picker.js";

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

const byTextOrder = (a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1);

function excerpt(text, limit = 80) {
  // The first 2 * limit + 1 UTF-16 units hold more than `limit` code points if the text does.
  const chars = [...text.replace(/\s+/g, " ").slice(0, 2 * limit + 1)];
  return chars.length > limit ? `${chars.slice(0, limit).join("")}…` : chars.join("");
}

const FIRST_ITEMS = 40;
const SLICE_ITEMS = 150;

export class PassageList {
  constructor({ list, count, describe, onOpen }) {
    Object.assign(this, { list, count, describe, onOpen });
    this.order = [];
    this.items = new Map();
    list.addEventListener("click", (event) => {
      const item = event.target.closest("[data-annotation-id]");
      if (item) onOpen(item.dataset.annotationId);
    });
  }

  // Kept to a handful of nodes: thousands of these are built when the page opens.
  #item(annotation) {
    const { code, unsaved } = this.describe(annotation);
    const item = el("li");
    const button = el("button", "passage");
    button.type = "button";
    button.dataset.annotationId = annotation.id;
    button.append(
      swatch(code.colour, code.number - 1, String(code.number)),
      `${code.name}: ${excerpt(annotation.quote)}`,
    );
    if (unsaved) button.append(el("span", "unsaved", "unsaved"));
    item.append(button);
    return item;
  }

  // Enough items to fill the panel are built at once, the rest while the page is idle, so a long
  // list delays neither the text nor its first paint.
  showAll(annotations) {
    this.order = [...annotations].sort(byTextOrder);
    this.items = new Map();
    this.list.replaceChildren();
    this.#count();
    this.generation = (this.generation ?? 0) + 1;
    const generation = this.generation;
    this.#build(FIRST_ITEMS);
    // One slice per idle period: the browser styles what was added before the next one.
    const more = () => {
      if (generation !== this.generation) return;
      this.#build(this.items.size + SLICE_ITEMS);
      if (this.#building) requestIdleCallback(more);
    };
    requestIdleCallback(more);
  }

  get #building() {
    return this.items.size < this.order.length;
  }

  #build(upTo) {
    const items = this.order.slice(this.items.size, upTo).map((a) => {
      const item = this.#item(a);
      this.items.set(a.id, item);
      return item;
    });
    this.list.append(...items);
  }

  // Insert, replace or drop one passage without rebuilding the list. Items exist for a prefix
  // of `order` (all of it once the idle building is done); a passage placed past that prefix
  // gets its item when the building reaches it.
  change(before, after) {
    if (before) {
      const at = this.order.findIndex((a) => a.id === before.id);
      if (at !== -1) this.order.splice(at, 1);
      this.items.get(before.id)?.remove();
      this.items.delete(before.id);
    }
    if (after) {
      let lo = 0;
      let hi = this.order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byTextOrder(this.order[mid], after) < 0) lo = mid + 1;
        else hi = mid;
      }
      const built = this.items.size;
      this.order.splice(lo, 0, after);
      if (lo <= built) {
        const item = this.#item(after);
        this.list.insertBefore(item, lo < built ? this.items.get(this.order[lo + 1].id) : null);
        this.items.set(after.id, item);
      }
    }
    this.#count();
  }

  neighbour(id, step) {
    if (!this.order.length) return null;
    const at = this.order.findIndex((a) => a.id === id);
    if (at === -1) return this.order[step > 0 ? 0 : this.order.length - 1];
    return this.order[(at + step + this.order.length) % this.order.length];
  }

  focus(id) {
    if (!this.items.has(id)) this.#build(this.order.length);
    this.items.get(id)?.querySelector("button").focus();
  }

  #count() {
    this.count.textContent = `(${this.order.length})`;
  }
}

export class PassageDetails {
  // `codes`: the codes a passage may be given, in codebook order.
  constructor({ section, body, describe, codes, onCode, onMemo, onDelete }) {
    Object.assign(this, { section, body, describe, codes, onCode, onMemo, onDelete });
    this.shown = [];
  }

  show(annotations, focusId) {
    this.shown = annotations;
    this.section.hidden = annotations.length === 0;
    this.body.replaceChildren(...annotations.map((a) => this.#card(a)));
    const focused = this.body.querySelector(`[data-annotation-id="${CSS.escape(focusId ?? "")}"]`);
    focused?.classList.add("focused");
  }

  refresh(annotationsById) {
    const current = this.shown.map((a) => annotationsById.get(a.id)).filter(Boolean);
    if (current.length || this.shown.length)
      this.show(current, this.body.querySelector(".focused")?.dataset.annotationId);
  }

  #card(annotation) {
    const { code, coder, own, unsaved, label } = this.describe(annotation);
    const card = el("div", "passage-card");
    card.dataset.annotationId = annotation.id;
    const head = el("p", "card-head");
    const name = el("strong", "code-name", code.path);
    name.dataset.codeId = code.id;
    head.append(swatch(code.colour, code.number - 1, label), name);
    if (code.retired) head.append(el("span", "retired", "retired"));
    if (!own) head.append(el("span", "muted", ` by ${coder}`));
    if (unsaved) head.append(el("span", "unsaved", "unsaved"));
    const quote = el("blockquote", "", annotation.quote);
    quote.dir = "auto";
    card.append(
      head,
      quote,
      el("p", "muted offsets", `characters ${annotation.start}–${annotation.end}`),
    );
    if (!own) {
      if (annotation.memo) card.append(el("p", "memo", annotation.memo));
      return card;
    }
    card.append(this.#codeChoice(annotation.id, code));
    const label_ = el("label", "", "Memo");
    const memo = el("textarea");
    memo.rows = 3;
    memo.value = annotation.memo || "";
    label_.append(memo);
    const save = el("button", "", "Save memo");
    save.type = "button";
    save.addEventListener("click", () => this.onMemo(annotation.id, memo.value));
    memo.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey))
        this.onMemo(annotation.id, memo.value);
    });
    const remove = el("button", "danger", "Delete passage");
    remove.type = "button";
    remove.addEventListener("click", () => this.onDelete(annotation.id));
    const actions = el("p", "actions");
    actions.append(save, remove);
    card.append(label_, actions);
    return card;
  }

  // A retired code stays listed while the passage still has it.
  #codeChoice(id, current) {
    const label = el("label", "code-choice", "Code ");
    const select = el("select");
    const choices = this.codes.some((c) => c.id === current.id)
      ? this.codes
      : [...this.codes, current];
    for (const code of choices) {
      const option = el(
        "option",
        "",
        `${code.number} ${code.path}${code.retired ? " (retired)" : ""}`,
      );
      option.value = String(code.id);
      select.append(option);
    }
    select.value = String(current.id);
    select.addEventListener("change", () => this.onCode(id, Number(select.value)));
    label.append(select);
    return label;
  }
}

export function renderLayers({
  section,
  body,
  coders,
  counts,
  visible,
  letterOf,
  colourOf,
  onToggle,
}) {
  section.hidden = coders.length < 2 && !coders.some((c) => !c.own);
  body.replaceChildren(
    ...coders.map((coder, i) => {
      const label = el("label", "layer");
      const box = el("input");
      box.type = "checkbox";
      box.checked = visible.has(coder.username);
      box.addEventListener("change", () => onToggle(coder.username, box.checked));
      label.append(
        box,
        swatch(colourOf(coder.username), i, letterOf(coder.username)),
        ` ${coder.username} (${counts.get(coder.username) ?? 0})`,
      );
      return label;
    }),
  );
}
