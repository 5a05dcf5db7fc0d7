/* Sale page: void (whole sale) and customer return through the JSON API, with the reason. */
import { apiCall, errorText } from "./api.js";

const box = document.getElementById("corrections");
if (box) {
  const saleId = box.dataset.saleId;
  const status = document.getElementById("correction-status");
  const done = (r) => {
    if (r.ok) { window.location.reload(); return; }
    status.className = "status error";
    status.textContent = errorText(r.body);
  };
  document.getElementById("void-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    done(await apiCall("POST", `/api/v1/sales/${saleId}/void`, { reason: document.getElementById("void-reason").value.trim() }));
  });
  document.getElementById("return-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const lines = [];
    for (const input of document.querySelectorAll(".return-qty")) {
      const quantity = parseInt(input.value, 10);
      if (quantity > 0) lines.push({ sale_line_id: Number(input.dataset.lineId), quantity });
    }
    const reason = document.getElementById("return-reason").value.trim();
    done(await apiCall("POST", `/api/v1/sales/${saleId}/returns`, { lines, reason }));
  });
}
