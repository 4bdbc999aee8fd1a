// The run form: what it asks the API for, and the API's errors shown beside their fields.

function checked(form, name) {
  return Array.from(form.querySelectorAll(`input[name=${name}]:checked`), (box) =>
    Number(box.value),
  );
}

// The request body for a new run; a set left empty takes its default on the server.
export function requestBody(form) {
  const body = {
    level: form.querySelector("input[name=level]:checked").value,
    bootstrap: Number(form.elements.bootstrap.value),
    gold: form.elements.gold.checked,
  };
  if (form.elements.round.value) body.round = Number(form.elements.round.value);
  const sources = Array.from(form.elements.sources.selectedOptions, (o) => Number(o.value));
  if (sources.length) body.sources = sources;
  const coders = checked(form, "coders");
  if (coders.length) body.coders = coders;
  const codes = checked(form, "codes");
  if (codes.length) body.codes = codes;
  return body;
}

export function csrfToken(form) {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

// Messages go to the slot of their field; those about a field without a slot go to the
// form's general slot, so none is lost.
export function showErrors(form, errors) {
  const slots = Array.from(form.querySelectorAll(".error[data-field]"));
  for (const slot of slots) {
    const messages = errors[slot.dataset.field] || [];
    slot.textContent = [].concat(messages).join(" ");
  }
  const known = new Set(slots.map((slot) => slot.dataset.field));
  const other = Object.keys(errors).filter((field) => !known.has(field));
  if (other.length) {
    const slot = form.querySelector(".error[data-field=non_field_errors]");
    slot.textContent += ` ${other.map((field) => [].concat(errors[field]).join(" ")).join(" ")}`;
  }
}

// The API's error shape: {"status", "code", "message", "fields": {field: [messages]}}.
export function flattenErrors(payload) {
  const fields = payload && typeof payload.fields === "object" ? payload.fields : {};
  if (Object.keys(fields).length) return fields;
  const message = payload?.message || payload?.detail || "The run could not be started.";
  return { non_field_errors: [message] };
}
