// The text column: paragraphs built with textContent only (source text is data, never HTML),
// stacked underlines per passage, and the mapping between DOM positions and code points.
import { layoutParagraph } from "./layout.js";

const ROW_PX = 5;
const FIRST_SCREEN_CHARS = 6000;
export const PATTERN_NAMES = ["solid", "dashed", "dotted", "double"];

// Colours and rows become classes whose rules are added to the page's stylesheet on first use:
// setting a class name is far cheaper than parsing an inline style on thousands of elements.
class RuleCache {
  constructor() {
    this.sheet = document.querySelector('link[rel="stylesheet"]').sheet;
    this.names = new Map();
  }

  name(key, declarations) {
    let name = this.names.get(key);
    if (name === undefined) {
      name = `x${this.names.size}`;
      this.sheet.insertRule(`.u.${name}{${declarations}}`, this.sheet.cssRules.length);
      this.names.set(key, name);
    }
    return name;
  }

  colour(hex) {
    return this.name(hex, `border-bottom-color:${hex}`);
  }

  row(row) {
    return this.name(`row${row}`, `padding-bottom:${row * ROW_PX}px`);
  }
}

// The text node of a segment: its innermost descendant (one nested underline span per passage).
function textNodeOf(segment) {
  let node = segment;
  while (node.firstChild) node = node.firstChild;
  return node;
}

export class TextView {
  // `look(annotation)` -> {colour, pattern, label}: how a passage is drawn.
  constructor(root, index, look) {
    this.root = root;
    this.index = index;
    this.look = look;
    this.byParagraph = index.paragraphs.map(() => new Map());
    this.elements = [];
    this.segmentAnnotations = new WeakMap();
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

  // Replace every shown passage and rebuild the text in one fragment. Lines up to about a
  // screenful are drawn with their passages at once; the rest start as plain text (already
  // selectable, offsets exact) and get their passages right after that first frame is painted,
  // so a long, densely coded text shows its top early. Resolves once every line is drawn.
  showAll(annotations) {
    this.byParagraph.forEach((map) => map.clear());
    for (const annotation of annotations) {
      for (const i of this.#paragraphsOf(annotation)) this.byParagraph[i].set(annotation.id, annotation);
    }
    const generation = (this.generation = (this.generation ?? 0) + 1);
    let budget = FIRST_SCREEN_CHARS;
    const fragment = document.createDocumentFragment();
    this.elements = this.index.paragraphs.map((para) => {
      const element = this.#renderParagraph(para, budget > 0);
      budget -= para.end - para.start + 1;
      fragment.append(element);
      return element;
    });
    this.root.replaceChildren(fragment);
    this.#restoreHighlight();
    return new Promise((resolve) => {
      // After the frame showing the first screen: the rest in one go, which costs less in all
      // than many small slices that each lay the document out again.
      requestAnimationFrame(() => setTimeout(() => {
        if (generation !== this.generation) return resolve(false);
        this.elements.forEach((element, i) => element.dataset.plain && this.#redraw(i));
        this.#restoreHighlight();
        resolve(true);
      }));
    });
  }

  #redraw(i) {
    const element = this.#renderParagraph(this.index.paragraphs[i]);
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

  #renderParagraph(para, withPassages = true) {
    const element = document.createElement("div");
    element.className = "para";
    element.dir = "auto";
    element.dataset.s = para.start;
    if (!withPassages && this.byParagraph[para.index].size) element.dataset.plain = "1";
    const passages = element.dataset.plain ? [] : this.byParagraph[para.index].values();
    const { segments, rowOf, rows } = layoutParagraph(para, passages);
    if (rows) element.style.setProperty("--rows", rows);
    for (const segment of segments) element.append(this.#renderSegment(segment, rowOf));
    return element;
  }

  // Each passage covering the segment is one nested inline span whose bottom border is its
  // underline; its bottom padding puts the line on the passage's row. Borders are cheap to paint
  // and give solid, dashed, dotted and double lines without colour.
  #renderSegment(segment, rowOf) {
    const span = document.createElement("span");
    span.className = "seg";
    span.dataset.s = segment.start;
    const text = document.createTextNode(this.index.slice(segment.start, segment.end));
    if (!segment.annotations.length) {
      span.append(text);
      return span;
    }
    this.segmentAnnotations.set(span, segment.annotations);
    // The segment itself carries the first underline, nested spans the others.
    let parent = null;
    for (const annotation of segment.annotations) {
      const { colour, pattern } = this.look(annotation);
      const classes = `u ${PATTERN_NAMES[pattern % PATTERN_NAMES.length]} ${this.rules.colour(colour)} ${this.rules.row(rowOf.get(annotation.id))}`;
      if (parent) {
        const line = document.createElement("span");
        line.className = classes;
        parent.appendChild(line);
        parent = line;
      } else {
        span.className = `seg coded ${classes}`;
        parent = span;
      }
    }
    parent.appendChild(text);
    if (segment.labelled.length) {
      span.dataset.label = segment.labelled.map((a) => this.look(a).label).join(" ");
    }
    return span;
  }

  annotationsAt(node) {
    const segment = node instanceof Element ? node.closest(".seg") : node?.parentElement?.closest(".seg");
    return (segment && this.segmentAnnotations.get(segment)) || [];
  }

  // Code point offset of a DOM boundary point, or null when it is outside the text.
  offsetOf(node, offset) {
    if (!this.root.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const segment = node.parentElement.closest(".seg");
      return this.index.cpAt(Number(segment.dataset.s), offset);
    }
    if (node.closest(".seg") && node.closest(".seg") !== node) {
      // An underline span inside a segment: the same boundary as its text node's start or end.
      const text = textNodeOf(node);
      return this.offsetOf(text, offset === 0 ? 0 : text.length);
    }
    const para = node.closest(".para");
    if (para === null) {
      const i = Math.min(offset, this.elements.length);
      return i < this.elements.length ? Number(this.elements[i].dataset.s) : this.index.length;
    }
    const paraIndex = this.index.paragraphAt(Number(para.dataset.s));
    if (node === para && offset < para.childNodes.length) return Number(para.childNodes[offset].dataset.s);
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
    const units = this.index.unitsBetween(start, Math.min(cp, this.index.paragraphs[this.index.paragraphAt(cp)].end));
    return { node: textNodeOf(segment), offset: units };
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
      for (const segment of this.elements[i].children) {
        if ((this.segmentAnnotations.get(segment) || []).some((a) => a.id === annotation.id)) {
          segment.classList.add("hl");
        }
      }
    }
  }

  scrollTo(annotation) {
    const { node } = this.pointAt(annotation.start);
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    element.scrollIntoView({ block: "center", behavior: "instant" });
  }
}
