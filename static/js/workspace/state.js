// What the page believes: the server's annotations plus the changes still queued for it.

// The API may name a code or coder by id, by name or as an object; the page keys both by one
// value (code id, coder username).
export function normalise(raw, codersById) {
  const code = typeof raw.code === "object" && raw.code !== null ? raw.code.id : raw.code;
  let coder = raw.coder;
  if (typeof coder === "object" && coder !== null) coder = coder.username ?? coder.id;
  if (typeof coder === "number") coder = codersById.get(coder) ?? String(coder);
  return {
    id: raw.id,
    code: Number(code),
    coder,
    start: raw.start,
    end: raw.end,
    quote: raw.quote,
    memo: raw.memo ?? "",
    version: raw.version,
  };
}

export function fromCreate(body, coder) {
  return { ...body, coder, version: undefined };
}

// The server's state with every queued operation applied on top, in order.
export function replay(server, ops, me) {
  const shown = new Map([...server].map(([id, a]) => [id, { ...a }]));
  for (const op of ops) {
    if (op.kind === "create" && !shown.has(op.id)) shown.set(op.id, fromCreate(op.body, me));
    else if (op.kind === "update" && shown.has(op.id)) Object.assign(shown.get(op.id), op.body);
    else if (op.kind === "delete") shown.delete(op.id);
  }
  return shown;
}

export function uuid4() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
