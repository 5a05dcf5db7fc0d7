/* Goods receipt form: scan or search to add lines, then POST /api/v1/receipts; errors shown per field.
   A supplier line at unit price 0 is asked about first (a free sample is legitimate, a forgotten price is not). */
import { apiCall, errorText } from "./api.js";
import { fill } from "./format.js";
import { clearFieldErrors, markFieldErrors, newLineRow, renumber } from "./lines.js";
import { makePicker } from "./picker.js";

const form = document.getElementById("receipt-form");
const T = JSON.parse(document.getElementById("receipt-strings").textContent);
const storeId = Number(form.dataset.storeId);
const scan = document.getElementById("receipt-scan");
const status = document.getElementById("receipt-status");
const results = document.getElementById("receipt-results");
const body = document.querySelector("#receipt-lines tbody");
const freeDialog = document.getElementById("free-dialog");

function say(text, kind) { status.textContent = text; status.className = `status${kind ? ` ${kind}` : ""}`; }

function addLine(product, unitName, lot, expiry) {
  const row = newLineRow("receipt-line", product, unitName);
  if (lot) row.querySelector('[name="lot"]').value = lot;
  if (expiry) row.querySelector('[name="expiry"]').value = expiry;
  row.querySelector(".remove").addEventListener("click", () => { row.remove(); renumber(body); scan.focus(); });
  row.querySelector("select").addEventListener("change", () => proposePrice(row));
  row.querySelector('[name="unit_price"]').addEventListener("input", () => { row.dataset.priceTyped = "yes"; });
  proposePrice(row);
  body.appendChild(row);
  renumber(body);
  say(`${T.added} ${product.name}`, "ok");
  const next = row.querySelector(lot ? '[name="quantity"]' : '[name="lot"]');
  next.focus();
  next.select();
}

const picker = makePicker(results, T, say, (p) => addLine(p, p.units[p.units.length - 1].name));

scan.addEventListener("keydown", async (event) => {
  if (event.ctrlKey && event.code === "BracketRight") { event.preventDefault(); scan.value += "\u001d"; return; }
  if (picker.key(event, scan) || event.key !== "Enter") return;
  event.preventDefault();
  const code = scan.value;
  if (!code.trim()) return;
  const r = await apiCall("GET", `/api/v1/scan?store_id=${storeId}&allow_quarantined=true&code=${encodeURIComponent(code)}`);
  if (!r.ok) { say(errorText(r.body), "error"); scan.select(); return; }
  scan.value = "";
  if (r.body.status === "search") { picker.search(r.body.results); return; }
  addLine(r.body.product, r.body.unit, r.body.lot, r.body.expiry);
  if (r.body.needs_lot_confirmation) say(T.ambiguous, "warn");
});

function showErrors(data) {
  say(data.message || "", "error");
  const first = markFieldErrors(form, data.errors);
  if (first) first.focus();
}

function readLines() {
  return Array.from(body.children, (row) => {
    const v = (name) => row.querySelector(`[name="${name}"]`).value.trim();
    const line = { product_id: Number(row.dataset.productId), unit: v("unit"), quantity: parseInt(v("quantity"), 10) || 0,
      lot: v("lot"), expiry: v("expiry") || null, unit_price: parseInt(v("unit_price"), 10) || 0 };
    if (v("manufactured")) line.manufactured = v("manufactured");
    return line;
  });
}

/* Supplier lines priced 0 (their rows), unless the pharmacist already said they are free goods. */
function unconfirmedFreeRows() {
  if (form.kind.value !== "supplier") return [];
  return Array.from(body.children).filter((row) =>
    (parseInt(row.querySelector('[name="unit_price"]').value, 10) || 0) === 0 && row.dataset.free !== "yes");
}

function askAboutFreeRows(rows) {
  const names = rows.map((row) => row.querySelector(".product").textContent).join(", ");
  document.getElementById("free-lines").textContent = fill(T.free_question, { products: names });
  freeDialog.returnValue = "";
  freeDialog.showModal();
  document.getElementById("free-yes").focus();
}

freeDialog.addEventListener("close", () => {
  const rows = unconfirmedFreeRows();
  if (freeDialog.returnValue === "free") {
    rows.forEach((row) => { row.dataset.free = "yes"; });
    submit();
  } else if (rows.length) {
    const price = rows[0].querySelector('[name="unit_price"]');
    price.focus();
    price.select();
    say(T.enter_price, "warn");
  }
});

/* The supplier's part of the receipt: a known supplier, its invoice number and date, and whether it is on credit. */
function supplierParts() {
  const parts = { supplier_invoice_number: form.supplier_invoice_number.value.trim(), on_credit: form.on_credit.checked };
  if (form.supplier_id.value) parts.supplier_id = Number(form.supplier_id.value);
  if (form.supplier_invoice_date.value) parts.supplier_invoice_date = form.supplier_invoice_date.value;
  return parts;
}

/* Propose the last price paid for the product in the line's unit (that supplier's when one is chosen),
   unless a price was already typed. */
async function proposePrice(row) {
  const price = row.querySelector('[name="unit_price"]');
  if (row.dataset.priceTyped === "yes") return;
  const supplier = form.supplier_id.value ? `&supplier_id=${form.supplier_id.value}` : "";
  const unit = encodeURIComponent(row.querySelector('[name="unit"]').value);
  const r = await apiCall("GET", `/api/v1/receipts/last-price?product_id=${row.dataset.productId}&unit=${unit}${supplier}`);
  if (!r.ok || row.dataset.priceTyped === "yes") return;
  price.value = String(r.body.unit_price);
  price.title = fill(T.last_price, { number: r.body.receipt_number, supplier: r.body.supplier_name });
}

async function submit() {
  if (freeDialog.open) return;
  clearFieldErrors(form);
  if (!body.children.length) { say(T.empty, "error"); scan.focus(); return; }
  const free = unconfirmedFreeRows();
  if (free.length) { askAboutFreeRows(free); return; }
  const data = { store_id: storeId, kind: form.kind.value, supplier_name: form.supplier_name.value.trim(),
    note: form.note.value.trim(), lines: readLines(), ...supplierParts() };
  const r = await apiCall("POST", "/api/v1/receipts", data);
  if (!r.ok) { showErrors(r.body); return; }
  body.innerHTML = "";
  say(`${T.saved} ${r.body.number}`, "ok");
  scan.focus();
}

form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
body.addEventListener("keydown", (event) => {  // Enter in a line goes back to the scan box, F9 saves
  if (event.key === "Enter") { event.preventDefault(); scan.focus(); }
});
body.addEventListener("change", (event) => {  // a price changed after "free goods": ask again if it is 0 again
  if (event.target.name === "unit_price") delete event.target.closest("tr").dataset.free;
});
document.addEventListener("keydown", (event) => {
  if (event.key === "F9") { event.preventDefault(); submit(); }
  if (event.key === "F2") { event.preventDefault(); scan.focus(); }
});
