/* A prescription's page: "Look up again" asks the e-prescription system and reloads with what it says. */
import { apiCall, errorText } from "./api.js";

const button = document.getElementById("rx-recheck");
if (button) {
  button.addEventListener("click", async () => {
    const status = document.getElementById("rx-recheck-status");
    button.disabled = true;
    const r = await apiCall("POST", button.dataset.url);
    if (r.ok) { window.location.reload(); return; }
    status.textContent = errorText(r.body);
    button.disabled = false;
  });
}
