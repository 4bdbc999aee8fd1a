// The versions page: publish the codebook as it stands through the API, then reload the page
// (which lists the new version and compares against it).
import { requestJson } from "../workspace/sync.js";

const form = document.getElementById("publish-form");
const error = form.querySelector("[data-field=note]");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const response = await requestJson("POST", form.dataset.url, { note: form.elements.note.value });
  if (response.status === 201) {
    location.assign(location.pathname);
    return;
  }
  const data = response.data || {};
  const messages = data.fields?.note || [data.message || "Publishing failed; try again."];
  error.textContent = messages.join(" ");
});
