// The codebook as the coder meets it: a swatch, number and shortcut per code, indented as a tree;
// a filterable picker for the selected passage; and each code's definition, inclusion and
// exclusion criteria on hover or focus, so codes are applied as the codebook defines them.
import { PATTERN_NAMES } from "./render.js";

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function swatch(colour, pattern, label) {
  const mark = el("span", `swatch pattern-${PATTERN_NAMES[pattern % PATTERN_NAMES.length]}`, label);
  mark.style.setProperty("--colour", colour);
  mark.setAttribute("aria-hidden", "true");
  return mark;
}

export function codeButton(code) {
  const button = el("button", "code-option");
  button.type = "button";
  button.dataset.codeId = code.id;
  button.style.setProperty("--depth", code.depth);
  button.append(
    swatch(code.colour, code.number - 1, String(code.number)),
    el("span", "code-name", code.name),
  );
  if (code.shortcut) button.append(el("kbd", "", code.shortcut));
  button.setAttribute(
    "aria-label",
    `${code.path}${code.shortcut ? `, shortcut ${code.shortcut}` : ""}`,
  );
  return button;
}

export function renderCodebook(list, codes) {
  list.replaceChildren(
    ...codes
      .filter((code) => !code.retired)
      .map((code) => {
        const item = el("li");
        item.append(codeButton(code));
        return item;
      }),
  );
}

export class Picker {
  constructor({ element, filter, list, codes, onPick, onClose }) {
    Object.assign(this, { element, filter, list, codes, onPick, onClose });
    renderCodebook(list, codes);
    filter.addEventListener("input", () => this.#filter());
    filter.addEventListener("keydown", (event) => this.#filterKey(event));
    list.addEventListener("click", (event) => {
      const button = event.target.closest("[data-code-id]");
      if (button) onPick(Number(button.dataset.codeId));
    });
    list.addEventListener("keydown", (event) => this.#listKey(event));
  }

  get isOpen() {
    return !this.element.hidden;
  }

  open(rect) {
    this.filter.value = "";
    this.#filter();
    this.element.hidden = false;
    const width = this.element.offsetWidth;
    const left = Math.min(
      window.scrollX + rect.left,
      window.scrollX + document.documentElement.clientWidth - width - 8,
    );
    this.element.style.left = `${Math.max(8, left)}px`;
    this.element.style.top = `${window.scrollY + rect.bottom + 8}px`;
  }

  focus() {
    this.filter.focus();
  }

  close() {
    if (this.isOpen) {
      this.element.hidden = true;
      this.onClose();
    }
  }

  #visible() {
    return [...this.list.querySelectorAll("li:not([hidden]) button")];
  }

  #filter() {
    const needle = this.filter.value.trim().toLowerCase();
    for (const item of this.list.children) {
      const code = this.codes.find((c) => c.id === Number(item.firstChild.dataset.codeId));
      const haystack = `${code.path} ${code.number} ${code.shortcut}`.toLowerCase();
      item.hidden = needle !== "" && !haystack.includes(needle);
    }
  }

  #filterKey(event) {
    if (event.key === "Enter") {
      event.preventDefault();
      const first = this.#visible()[0];
      if (first) this.onPick(Number(first.dataset.codeId));
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      this.#visible()[0]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  #listKey(event) {
    const buttons = this.#visible();
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) this.filter.focus();
      else buttons[Math.min(next, buttons.length - 1)].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }
}

// One floating card for every element carrying data-code-id.
export function installCodeHelp(card, codesById) {
  const show = (target) => {
    const code = codesById.get(Number(target.dataset.codeId));
    if (!code) return;
    const parts = [el("strong", "", code.path)];
    for (const [label, text] of [
      ["Definition", code.definition],
      ["Include", code.inclusion],
      ["Exclude", code.exclusion],
      ["Example", code.example],
    ]) {
      if (!text) continue;
      const paragraph = el("p", "help-text");
      paragraph.append(el("b", "", `${label}: `), text);
      parts.push(paragraph);
    }
    card.replaceChildren(...parts);
    const rect = target.getBoundingClientRect();
    card.hidden = false;
    const left = rect.left - card.offsetWidth - 12;
    card.style.left = `${window.scrollX + (left > 8 ? left : rect.right + 12)}px`;
    card.style.top = `${window.scrollY + rect.top}px`;
    target.setAttribute("aria-describedby", card.id);
  };
  const hide = () => {
    card.hidden = true;
  };
  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (event) => {
      const target = event.target.closest?.("[data-code-id]");
      if (target) show(target);
      else if (type === "focusin") hide();
    });
  }
  document.addEventListener("mouseout", (event) => {
    if (
      event.target.closest?.("[data-code-id]") &&
      document.activeElement?.dataset?.codeId === undefined
    )
      hide();
  });
}
