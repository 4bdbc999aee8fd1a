// Pure layout of one paragraph: which annotations cover which stretch of text, and on which
// underline row each annotation sits. Boundaries are sorted once per paragraph, O(k log k) for
// k annotations, so re-rendering one paragraph never looks at the rest of the text.

export function layoutParagraph(para, annotations) {
  const pieces = [];
  for (const annotation of annotations) {
    const start = Math.max(annotation.start, para.start);
    const end = Math.min(annotation.end, para.end);
    if (start < end) pieces.push({ annotation, start, end });
  }
  pieces.sort((a, b) => a.start - b.start || b.end - a.end);

  // Greedy interval partitioning: the fewest rows such that no two pieces on a row overlap.
  const rowEnds = [];
  const rowOf = new Map();
  for (const piece of pieces) {
    let row = rowEnds.findIndex((end) => end <= piece.start);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = piece.end;
    rowOf.set(piece.annotation.id, row);
  }

  const bounds = [para.start, para.end];
  for (const piece of pieces) bounds.push(piece.start, piece.end);
  bounds.sort((a, b) => a - b);

  const ends = [...pieces].sort((a, b) => a.end - b.end);
  const segments = [];
  let active = [];
  let nextStart = 0;
  let nextEnd = 0;
  for (let i = 0; i < bounds.length - 1; i += 1) {
    const from = bounds[i];
    const to = bounds[i + 1];
    if (from === to) continue;
    let closed = false;
    while (nextEnd < ends.length && ends[nextEnd].end <= from) {
      nextEnd += 1;
      closed = true;
    }
    if (closed) active = active.filter((piece) => piece.end > from);
    const opening = [];
    while (nextStart < pieces.length && pieces[nextStart].start <= from) {
      opening.push(pieces[nextStart].annotation);
      active.push(pieces[nextStart]);
      nextStart += 1;
    }
    segments.push({
      start: from,
      end: to,
      annotations: active.map((piece) => piece.annotation),
      // Only where a passage really begins (not where it continues from the line above).
      labelled: opening.filter((annotation) => annotation.start === from),
    });
  }
  return { segments, rowOf, rows: rowEnds.length };
}
