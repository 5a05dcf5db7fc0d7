/* Dispatching a transfer: scan a pack (its lot is sent) or search a product, set unit and quantity, then
   POST /api/v1/transfers; errors are shown per field; the slip opens once it is dispatched. */
import { apiCall, errorText } from "./api.js";
import { clearFieldErrors, markFieldErrors, newLineRow, renumber } from "./lines.js";
import { makePicker } from "./picker.js";

const form = document.getElementById("transfer-form");
const T = JSON.parse(document.getElementById("transfer-strings").textContent);
const storeId = Number(form.dataset.storeId);
const scan = document.getElementById("transfer-scan");
const status = document.getElementById("transfer-status");
const results = document.getElementById("transfer-results");
const body = document.querySelector("#transfer-lines tbody");

function say(text, kind) { status.textContent = text; status.className = `status${kind ? ` ${kind}` : ""}`; }

function addLine(product, unitName, lot) {
  const same = Array.from(body.children).find((row) => row.dataset.productId === String(product.id)
    && row.querySelector('[name="lot"]').value === (lot || "") && row.querySelector("select").value === unitName);
  if (same) {  // the same pack scanned again: one more
    const quantity = same.querySelector('[name="quantity"]');
    quantity.value = (parseInt(quantity.value, 10) || 0) + 1;
    say(`${T.added} ${product.name}`, "ok");
    return;
  }
  const row = newLineRow("transfer-line", product, unitName);
  if (lot) row.querySelector('[name="lot"]').value = lot;
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); renumber(body); scan.focus(); });
  body.appendChild(row);
  renumber(body);
  say(`${T.added} ${product.name}`, "ok");
}

const draft = JSON.parse(document.getElementById("transfer-draft").textContent);
if (draft) {  // prepared from a rebalancing suggestion: one line, ready to check and dispatch
  addLine(draft.product, draft.unit, draft.lot);
  body.lastElementChild.querySelector('[name="quantity"]').value = draft.quantity;
}

const picker = makePicker(results, T, say, (p) => addLine(p, p.units[p.units.length - 1].name, ""));

scan.addEventListener("keydown", async (event) => {
  if (picker.key(event, scan) || event.key !== "Enter") return;
  event.preventDefault();
  const code = scan.value;
  if (!code.trim()) return;
  const r = await apiCall("GET", `/api/v1/scan?store_id=${storeId}&code=${encodeURIComponent(code)}`);
  if (!r.ok) { say(errorText(r.body), "error"); scan.select(); return; }
  scan.value = "";
  if (r.body.status === "search") { picker.search(r.body.results); return; }
  addLine(r.body.product, r.body.unit, r.body.lot || "");
});

function showErrors(data) {
  say(errorText(data), "error");
  markFieldErrors(form, data.errors);
}

async function submit() {
  clearFieldErrors(form);
  if (!body.children.length) { say(T.empty, "error"); scan.focus(); return; }
  const lines = Array.from(body.children, (row) => {
    const v = (name) => row.querySelector(`[name="${name}"]`).value.trim();
    const line = { product_id: Number(row.dataset.productId), unit: v("unit"), quantity: parseInt(v("quantity"), 10) || 0 };
    if (v("lot")) line.lot = v("lot");
    return line;
  });
  const data = { from_store_id: storeId, to_store_id: Number(form.to_store_id.value), note: form.note.value.trim(), lines };
  const r = await apiCall("POST", "/api/v1/transfers", data);
  if (!r.ok) { showErrors(r.body); return; }
  say(`${T.saved} ${r.body.number}`, "ok");
  window.location.assign(`/transfers/${r.body.id}`);
}

form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
body.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); scan.focus(); } });
document.addEventListener("keydown", (event) => {
  if (event.key === "F9") { event.preventDefault(); submit(); }
  if (event.key === "F2") { event.preventDefault(); scan.focus(); }
});
