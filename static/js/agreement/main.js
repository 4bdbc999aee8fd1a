// The agreement page: start a run through the API, follow its progress, then show the
// server-rendered results. Configuration comes from the page's json_script block.
import { csrfToken, flattenErrors, requestBody, showErrors } from "./form.js";
import { RunProgress } from "./progress.js";

const config = JSON.parse(document.getElementById("agreement-config").textContent);
const form = document.getElementById("agreement-start");
const progress = new RunProgress(config);

async function start(event) {
  event.preventDefault();
  showErrors(form, {});
  const button = document.getElementById("run-start");
  button.disabled = true;
  try {
    const response = await fetch(config.start, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(requestBody(form)),
    });
    const payload = await response.json().catch(() => ({}));
    if (response.status !== 202) {
      showErrors(form, flattenErrors(payload));
      return;
    }
    progress.follow(payload.id);
  } catch (error) {
    showErrors(form, { non_field_errors: [`The server could not be reached: ${error.message}`] });
  } finally {
    button.disabled = false;
  }
}

form.addEventListener("submit", start);
if (config.follow) progress.poll(config.follow);
