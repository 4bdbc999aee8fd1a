// The text column: lines of segments whose text is always a text node (source text is data,
// never HTML), stacked underlines per passage, and the mapping between DOM positions and code
// points.
import { layoutParagraph } from "./layout.js";

const ROW_PX = 5;
const LINE_PX = 3;
export const PATTERN_NAMES = ["solid", "dashed", "dotted", "double"];

// One underline as an image filling a 100% x LINE_PX box: each pattern tells passages apart
// without colour.
const LINE_IMAGES = [
  (c) => `linear-gradient(${c},${c})`,
  (c) => `repeating-linear-gradient(to right,${c} 0 6px,transparent 6px 10px)`,
  (c) => `repeating-linear-gradient(to right,${c} 0 3px,transparent 3px 6px)`,
  (c) => `linear-gradient(${c} 0 1px,transparent 1px 2px,${c} 2px 3px)`,
];

// The drawing of passages lives in rules added to the page's stylesheet on first use, named by
// short classes: a few class names per segment are far cheaper to build, style and lay out than
// an element or an inline style per underline.
export class RuleCache {
  constructor() {
    this.sheet = document.querySelector('link[rel="stylesheet"]').sheet;
    this.names = new Map();
    // Asked for once per line and per segment: kept by number.
    this.rowsNames = [];
    this.stackNames = [];
  }

  name(key, rule) {
    let name = this.names.get(key);
    if (name === undefined) {
      name = `x${this.names.size}`;
      this.sheet.insertRule(rule(name), this.sheet.cssRules.length);
      this.names.set(key, name);
    }
    return name;
  }

  // A line with `count` rows of underlines below its text.
  rows(count) {
    this.rowsNames[count] ??= this.name(`rows${count}`, (name) => `.${name}{--rows:${count}}`);
    return this.rowsNames[count];
  }

  // A segment whose underlines take `count` rows: room for them, and one image layer per row
  // (`--l<row>`, unset rows draw nothing), row 0 nearest the text.
  stack(count) {
    this.stackNames[count] ??= this.name(`stack${count}`, (name) => {
      const rows = [...Array(count).keys()];
      const images = rows.map((row) => `var(--l${row},none)`).join(",");
      const positions = rows
        .map((row) => `left 0 bottom ${(count - row) * ROW_PX - LINE_PX}px`)
        .join(",");
      return `.${name}{padding-bottom:${count * ROW_PX}px;background-image:${images};background-position:${positions};background-size:100% ${LINE_PX}px;background-repeat:no-repeat}`;
    });
    return this.stackNames[count];
  }

  // The underline on `row` in this colour and pattern.
  line(row, colour, pattern) {
    const image = LINE_IMAGES[pattern % LINE_IMAGES.length](colour);
    return this.name(`line${row}${colour}${pattern}`, (name) => `.${name}{--l${row}:${image}}`);
  }
}

const MARKUP_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const escapeMarkup = (value) => String(value).replace(/[&<>"]/g, (c) => MARKUP_ESCAPES[c]);

export class TextView {
  // `look(annotation)` -> {colour, pattern, label}: how a passage is drawn.
  constructor(root, index, look) {
    this.root = root;
    this.index = index;
    this.look = look;
    this.byParagraph = index.paragraphs.map(() => new Map());
    this.elements = [];
    // Per line, its segments as laid out; segment k is the line element's child k.
    this.segments = [];
    this.drawn = new WeakMap();
    this.highlighted = null;
    this.rules = new RuleCache();
  }

  #paragraphsOf(annotation) {
    const first = this.index.paragraphAt(annotation.start);
    const last = this.index.paragraphAt(Math.max(annotation.start, annotation.end - 1));
    const indexes = [];
    for (let i = first; i <= last; i += 1) indexes.push(i);
    return indexes;
  }

  // Replace every shown passage and redraw the whole text, parsed as one piece of markup.
  showAll(annotations) {
    for (const map of this.byParagraph) map.clear();
    for (const annotation of annotations) {
      for (const i of this.#paragraphsOf(annotation))
        this.byParagraph[i].set(annotation.id, annotation);
    }
    this.drawn = new WeakMap();
    this.root.innerHTML = this.index.paragraphs.map((para) => this.#paragraphMarkup(para)).join("");
    this.elements = [...this.root.children];
    for (const [i, element] of this.elements.entries()) this.#addText(element, i);
    this.#restoreHighlight();
  }

  #redraw(i) {
    const holder = document.createElement("div");
    holder.innerHTML = this.#paragraphMarkup(this.index.paragraphs[i]);
    const element = holder.firstElementChild;
    this.#addText(element, i);
    this.elements[i].replaceWith(element);
    this.elements[i] = element;
  }

  // Show, move or hide one passage (pass null for before/after), re-rendering only its lines.
  change(before, after) {
    const touched = new Set();
    if (before) {
      for (const i of this.#paragraphsOf(before)) {
        this.byParagraph[i].delete(before.id);
        touched.add(i);
      }
    }
    if (after) {
      for (const i of this.#paragraphsOf(after)) {
        this.byParagraph[i].set(after.id, after);
        touched.add(i);
      }
    }
    for (const i of touched) this.#redraw(i);
    this.#restoreHighlight();
  }

  // Lines are built as markup, which the browser turns into elements far faster than one DOM
  // call per segment; the markup holds only class names, numbers and escaped labels. The source
  // text never passes through the HTML parser (which would turn a CR into LF): each
  // segment's text is added as a text node afterwards (#addText).
  #paragraphMarkup(para) {
    const { segments, rowOf, rows } = layoutParagraph(para, this.byParagraph[para.index].values());
    this.segments[para.index] = segments;
    const classes = rows ? `para ${this.rules.rows(rows)}` : "para";
    const inner = segments.map((segment) => this.#segmentMarkup(segment, rowOf)).join("");
    return `<div class="${classes}" dir="auto" data-s="${para.start}">${inner}</div>`;
  }

  #addText(element, i) {
    const segments = this.segments[i];
    const children = element.children;
    for (let k = 0; k < segments.length; k += 1) {
      children[k].append(this.index.slice(segments[k].start, segments[k].end));
    }
  }

  // How a passage is drawn, with the class of its underline per row, worked out once per passage
  // and full redraw.
  #drawing(annotation) {
    let drawing = this.drawn.get(annotation);
    if (drawing === undefined) {
      drawing = { ...this.look(annotation), lines: [] };
      this.drawn.set(annotation, drawing);
    }
    return drawing;
  }

  // One span per segment: each passage covering it is an underline on the passage's row.
  #segmentMarkup(segment, rowOf) {
    if (!segment.annotations.length) return `<span class="seg" data-s="${segment.start}"></span>`;
    let classes = "seg coded";
    let count = 0;
    for (const annotation of segment.annotations) {
      const drawing = this.#drawing(annotation);
      const row = rowOf.get(annotation.id);
      drawing.lines[row] ??= this.rules.line(row, drawing.colour, drawing.pattern);
      classes += ` ${drawing.lines[row]}`;
      count = Math.max(count, row + 1);
    }
    classes += ` ${this.rules.stack(count)}`;
    const label = segment.labelled.length
      ? ` data-label="${escapeMarkup(segment.labelled.map((a) => this.#drawing(a).label).join(" "))}"`
      : "";
    return `<span class="${classes}" data-s="${segment.start}"${label}></span>`;
  }

  // The segment element and its layout entry for a node inside the text, or null.
  #segmentOf(node) {
    const element =
      node instanceof Element ? node.closest(".seg") : node?.parentElement?.closest(".seg");
    if (!element || !this.root.contains(element)) return null;
    const i = this.index.paragraphAt(Number(element.dataset.s));
    const k = Array.prototype.indexOf.call(this.elements[i].children, element);
    return this.segments[i][k] ?? null;
  }

  annotationsAt(node) {
    return this.#segmentOf(node)?.annotations ?? [];
  }

  // Code point offset of a DOM boundary point, or null when it is outside the text.
  offsetOf(node, offset) {
    if (!this.root.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement.closest(".seg");
      return this.index.cpAt(Number(segment.dataset.s), offset);
    }
    const para = node.closest(".para");
    if (para === null) {
      const i = Math.min(offset, this.elements.length);
      return i < this.elements.length ? Number(this.elements[i].dataset.s) : this.index.length;
    }
    const paraIndex = this.index.paragraphAt(Number(para.dataset.s));
    if (node === para && offset < para.childNodes.length)
      return Number(para.childNodes[offset].dataset.s);
    if (node === para) return this.index.paragraphs[paraIndex].end;
    // Inside a segment element but not in its text node: its start or its end.
    const segment = node.closest(".seg");
    const start = Number(segment.dataset.s);
    return offset === 0 ? start : start + [...segment.textContent].length;
  }

  // The selected passage as trimmed code points [start, end), or null.
  selectedRange() {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const start = this.#clampedOffset(range.startContainer, range.startOffset);
    const end = this.#clampedOffset(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    const [s, e] = this.index.trim(Math.min(start, end), Math.max(start, end));
    return s < e ? [s, e] : null;
  }

  #clampedOffset(node, offset) {
    const inside = this.offsetOf(node, offset);
    if (inside !== null) return inside;
    if (!this.root.isConnected) return null;
    const position = this.root.compareDocumentPosition(node);
    if (position & Node.DOCUMENT_POSITION_CONTAINED_BY) return null;
    return position & Node.DOCUMENT_POSITION_PRECEDING ? 0 : this.index.length;
  }

  // The DOM boundary point of code point `cp`.
  pointAt(cp) {
    const para = this.elements[this.index.paragraphAt(cp)];
    const segments = para.children;
    if (!segments.length) return { node: para, offset: 0 };
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (Number(segments[mid].dataset.s) <= cp) lo = mid;
      else hi = mid - 1;
    }
    const segment = segments[lo];
    const start = Number(segment.dataset.s);
    const units = this.index.unitsBetween(
      start,
      Math.min(cp, this.index.paragraphs[this.index.paragraphAt(cp)].end),
    );
    return { node: segment.firstChild, offset: units };
  }

  select(start, end) {
    const from = this.pointAt(start);
    const to = this.pointAt(end);
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  highlight(annotation) {
    this.highlighted = annotation;
    this.#restoreHighlight();
  }

  #restoreHighlight() {
    for (const old of this.root.querySelectorAll(".seg.hl")) old.classList.remove("hl");
    const annotation = this.highlighted;
    if (!annotation) return;
    for (const i of this.#paragraphsOf(annotation)) {
      const children = this.elements[i].children;
      this.segments[i].forEach((segment, k) => {
        if (segment.annotations.some((a) => a.id === annotation.id))
          children[k].classList.add("hl");
      });
    }
  }

  scrollTo(annotation) {
    const { node } = this.pointAt(annotation.start);
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    element.scrollIntoView({ block: "center", behavior: "instant" });
  }
}
