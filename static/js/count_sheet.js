/* The count sheet: a scanned pack adds one pack (its unit's factor, in base units) to its lot's row. */
import { apiCall, errorText } from "./api.js";

const form = document.getElementById("count-form");
const scan = document.getElementById("count-scan");
const status = document.getElementById("count-status");
const T = JSON.parse(document.getElementById("count-strings").textContent);
const storeId = Number(form.dataset.storeId);

function say(text, kind) { status.textContent = text; status.className = `status${kind ? ` ${kind}` : ""}`; }

scan.addEventListener("keydown", async (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const code = scan.value;
  if (!code.trim()) return;
  const r = await apiCall("GET", `/api/v1/scan?store_id=${storeId}&allow_quarantined=true&code=${encodeURIComponent(code)}`);
  scan.value = "";
  if (!r.ok) { say(errorText(r.body), "error"); return; }
  if (r.body.status === "search" || !r.body.lot) { say(T.unknown, "warn"); return; }
  const rows = Array.from(form.querySelectorAll("#count-lines tbody tr")).filter((tr) =>
    tr.dataset.productId === String(r.body.product.id) && tr.dataset.lot === r.body.lot);
  // a pack scanned on the shelf counts on the lot's sellable line (the quarantine shelf is typed in)
  const row = rows.find((tr) => tr.dataset.state === "sellable") || rows[0];
  if (!row) {
    form.new_product_id.value = r.body.product.id;
    form.new_lot.value = r.body.lot;
    form.new_expiry.value = r.body.expiry || "";
    form.new_unit.value = r.body.unit;
    form.new_quantity.value = (parseInt(form.new_quantity.value, 10) || 0) + 1;
    say(T.unknown, "warn");
    return;
  }
  const unit = r.body.product.units.find((u) => u.name === r.body.unit);
  const input = row.querySelector("input");
  input.value = (parseInt(input.value, 10) || 0) + (unit ? unit.factor : 1);
  say(`${T.counted} ${r.body.product.name} · ${r.body.lot} → ${input.value}`, "ok");
});
