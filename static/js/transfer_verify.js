/* Checking a transfer on arrival: each scanned pack (EAN-13, GS1 DataMatrix: the counter's scan resolution) adds
   its unit's base units to its line and lot; rows that do not match what was sent are highlighted; the receipt is
   confirmed with POST /api/v1/transfers/{id}/receive (quantities in base units). */
import { apiCall, errorText } from "./api.js";
import { fill } from "./format.js";

const form = document.getElementById("verify-form");
const T = JSON.parse(document.getElementById("verify-strings").textContent);
const L = JSON.parse(document.getElementById("verify-labels").textContent);
const transferId = Number(form.dataset.transferId);
const scan = document.getElementById("verify-scan");
const status = document.getElementById("verify-status");
const rows = Array.from(document.querySelectorAll("#verify-lines tbody tr"));

function say(text, kind) { status.textContent = text; status.className = `status${kind ? ` ${kind}` : ""}`; }

const scanned = (row) => Math.max(0, parseInt(row.querySelector("input").value, 10) || 0);

function mark(row) {
  const expected = Number(row.dataset.expected);
  const have = scanned(row);
  const state = have === expected ? "ok" : (have < expected ? "short" : "over");
  row.className = state === "ok" ? "matched" : `mismatch ${state}`;
  const badge = row.querySelector(".check .badge");
  badge.className = `badge ${state === "ok" ? "ok" : "warn"}`;
  badge.textContent = state === "ok" ? L.ok : `${L[state]} ${Math.abs(expected - have)}`;
  return state;
}

function refresh() {
  const states = rows.map(mark);
  const ok = states.filter((s) => s === "ok").length;
  const summary = document.getElementById("verify-summary");
  summary.textContent = ok === rows.length ? T.all_ok : fill(T.summary, { ok, total: rows.length });
  summary.className = `status ${ok === rows.length ? "ok" : "warn"}`;
  return states;
}

/* The row a scan counts on: its product and lot; a code without a lot goes on the product's first row still short. */
function rowFor(product, lot) {
  const mine = rows.filter((row) => row.dataset.productId === String(product.id));
  if (!mine.length) return { error: fill(T.not_in_transfer, { product: product.name }) };
  if (lot) {
    const row = mine.find((r) => r.dataset.lot === lot);
    return row ? { row } : { error: fill(T.lot_not_in_transfer, { lot, product: product.name }) };
  }
  const row = mine.find((r) => scanned(r) < Number(r.dataset.expected)) || mine[0];
  return { row, note: mine.length > 1 ? fill(T.no_lot, { lot: row.dataset.lot }) : "" };
}

function flash(row) {
  row.classList.add("just-scanned");
  row.scrollIntoView({ block: "nearest" });
  setTimeout(() => row.classList.remove("just-scanned"), 800);
}

scan.addEventListener("keydown", async (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const code = scan.value;
  if (!code.trim()) return;
  scan.value = "";
  const r = await apiCall("GET", `/api/v1/scan?code=${encodeURIComponent(code)}`);
  if (!r.ok) { say(errorText(r.body), "error"); return; }
  if (r.body.status === "search") { say(T.scan_barcode, "error"); return; }
  let lot = r.body.lot;
  if (!lot && r.body.needs_lot_confirmation) {  // a separator-less scan: the transfer's own lots decide
    const sent = new Set(rows.filter((row) => row.dataset.productId === String(r.body.product.id)).map((row) => row.dataset.lot));
    const fits = (r.body.lot_candidates || []).filter((c) => sent.has(c.lot));
    if (fits.length === 1) lot = fits[0].lot;
  }
  const found = rowFor(r.body.product, lot);
  if (found.error) { say(found.error, "error"); return; }
  const unit = r.body.product.units.find((u) => u.name === r.body.unit);
  const input = found.row.querySelector("input");
  input.value = scanned(found.row) + (unit ? unit.factor : 1);
  const state = mark(found.row);
  refresh();
  flash(found.row);
  const text = `${T.counted} ${r.body.product.name} · ${found.row.dataset.lot} → ${input.value}`;
  say([text, found.note, state === "over" ? T.over : ""].filter(Boolean).join(" — "), state === "over" || found.note ? "warn" : "ok");
});

form.addEventListener("keydown", (event) => {  // Enter in a count or the reason never confirms by accident
  if (event.key === "Enter" && event.target !== scan) { event.preventDefault(); scan.focus(); }
});
form.addEventListener("input", (event) => { if (event.target.name === "scanned") refresh(); });

async function confirmReceipt() {
  const states = refresh();
  if (states.includes("over")) { say(T.over, "error"); return; }
  const reason = document.getElementById("verify-reason");
  if (states.includes("short") && !reason.value.trim()) { say(T.short_reason, "error"); reason.focus(); return; }
  const lines = rows.map((row) => ({
    transfer_line_id: Number(row.dataset.lineId), lot: row.dataset.lot, quantity: scanned(row),
    unit: row.dataset.baseUnit,
  }));
  const r = await apiCall("POST", `/api/v1/transfers/${transferId}/receive`, { lines, reason: reason.value.trim() });
  if (!r.ok) { say(errorText(r.body), "error"); return; }
  say(T.received, "ok");
  window.location.assign(`/transfers/${transferId}`);
}

form.addEventListener("submit", (event) => { event.preventDefault(); confirmReceipt(); });
document.addEventListener("keydown", (event) => {
  if (event.key === "F9") { event.preventDefault(); confirmReceipt(); }
  if (event.key === "F2") { event.preventDefault(); scan.focus(); }
});
refresh();
scan.focus();
