/* Dispatching a transfer: scan a pack (its lot is sent) or search a product, set unit and quantity, then
   POST /api/v1/transfers; errors are shown per field; the slip opens once it is dispatched. */
import { apiCall, errorText } from "./api.js";
import { makePicker } from "./picker.js";

const form = document.getElementById("transfer-form");
const T = JSON.parse(document.getElementById("transfer-strings").textContent);
const storeId = Number(form.dataset.storeId);
const scan = document.getElementById("transfer-scan");
const status = document.getElementById("transfer-status");
const results = document.getElementById("transfer-results");
const body = document.querySelector("#transfer-lines tbody");

function say(text, kind) { status.textContent = text; status.className = `status${kind ? ` ${kind}` : ""}`; }

function renumber() {
  Array.from(body.children).forEach((row, i) => {
    for (const input of row.querySelectorAll("[name]")) input.dataset.path = `lines[${i}].${input.name}`;
  });
}

function addLine(product, unitName, lot) {
  const same = Array.from(body.children).find((row) => row.dataset.productId === String(product.id)
    && row.querySelector('[name="lot"]').value === (lot || "") && row.querySelector("select").value === unitName);
  if (same) {  // the same pack scanned again: one more
    const quantity = same.querySelector('[name="quantity"]');
    quantity.value = (parseInt(quantity.value, 10) || 0) + 1;
    say(`${T.added} ${product.name}`, "ok");
    return;
  }
  const row = document.getElementById("transfer-line").content.firstElementChild.cloneNode(true);
  row.dataset.productId = product.id;
  row.querySelector(".product").textContent = product.name;
  const select = row.querySelector("select");
  for (const u of product.units.slice().reverse()) {
    const option = new Option(`${u.name} (×${u.factor})`, u.name);
    option.selected = u.name === unitName;
    select.appendChild(option);
  }
  if (lot) row.querySelector('[name="lot"]').value = lot;
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); renumber(); scan.focus(); });
  body.appendChild(row);
  renumber();
  say(`${T.added} ${product.name}`, "ok");
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
  for (const [path, messages] of Object.entries(data.errors || {})) {
    const input = form.querySelector(`[data-path="${path}"]`);
    if (!input) continue;
    input.setAttribute("aria-invalid", "true");
    const slot = input.parentElement.querySelector(".field-error");
    if (slot) slot.textContent = [].concat(messages).join(" ");
  }
}

async function submit() {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
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
