// The source text indexed by Unicode code point. The server stores offsets as code points of the
// NFC text (Python's text[start:end]); JavaScript strings and DOM ranges count UTF-16 units.
// Every conversion between the two happens here, through two lookup tables built once.

export class TextIndex {
  constructor(text) {
    this.text = text;
    const units = text.length;
    const cpToUnit = new Uint32Array(units + 1);
    const unitToCp = new Uint32Array(units + 1);
    let cp = 0;
    for (let unit = 0; unit < units; cp += 1) {
      cpToUnit[cp] = unit;
      unitToCp[unit] = cp;
      const code = text.charCodeAt(unit);
      const astral = code >= 0xd800 && code <= 0xdbff && unit + 1 < units;
      if (astral) {
        // A DOM offset between the two halves of a surrogate pair snaps to the pair's start.
        unitToCp[unit + 1] = cp;
      }
      unit += astral ? 2 : 1;
    }
    cpToUnit[cp] = units;
    unitToCp[units] = cp;
    this.length = cp;
    this.cpToUnit = cpToUnit.subarray(0, cp + 1);
    this.unitToCp = unitToCp;
    this.paragraphs = this.#splitLines();
  }

  // Lines separated by "\n", as code-point ranges [start, end) without the newline.
  #splitLines() {
    const lines = [];
    let start = 0;
    let from = 0;
    for (;;) {
      const at = this.text.indexOf("\n", from);
      const endUnit = at === -1 ? this.text.length : at;
      const end = this.unitToCp[endUnit];
      lines.push({ index: lines.length, start, end });
      if (at === -1) return lines;
      start = end + 1;
      from = at + 1;
    }
  }

  slice(start, end) {
    return this.text.slice(this.cpToUnit[start], this.cpToUnit[end]);
  }

  // Code point offset of a UTF-16 offset `unitOffset` inside the text starting at code point `base`.
  cpAt(base, unitOffset) {
    return this.unitToCp[this.cpToUnit[base] + unitOffset];
  }

  unitsBetween(start, end) {
    return this.cpToUnit[end] - this.cpToUnit[start];
  }

  // Index of the paragraph containing code point `cp` (a newline belongs to the line it ends).
  paragraphAt(cp) {
    const paras = this.paragraphs;
    let lo = 0;
    let hi = paras.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (paras[mid].start <= cp) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // Shrink [start, end) so it neither starts nor ends with white space.
  trim(start, end) {
    while (start < end && /\s/u.test(this.slice(start, start + 1))) start += 1;
    while (end > start && /\s/u.test(this.slice(end - 1, end))) end -= 1;
    return [start, end];
  }
}
