/* The scan box: a barcode adds its product (and lot), text searches; one result is added at once, several are
   listed with their stock on hand; an ambiguous lot is asked for. "3*code" adds 3. */
import { apiCall, errorText } from "../api.js";
import { fill, formatDay, formatMoney, formatQuantity } from "../format.js";
import { addLine } from "./cart.js";
import { $, el, focusScan, say, storeId, T } from "./state.js";

const GS = "\u001d";
const found = { results: [], index: 0, quantity: 1, pendingLot: null };
let scans = Promise.resolve();  // the answers are asked at once but taken in the order the codes were scanned

export function submitScan() {
  const scan = $("scan");
  let raw = scan.value;
  if (!raw.trim()) return;
  let quantity = 1;
  const match = /^(\d{1,4})\*(.+)$/.exec(raw);
  if (match) { quantity = parseInt(match[1], 10) || 1; raw = match[2]; }
  say(T.searching);
  scan.value = "";  // free at once: a wedge scanner may already be typing the next code
  const answer = apiCall("GET", `/api/v1/scan?store_id=${storeId}&code=${encodeURIComponent(raw)}`);
  // the cart's lines stay in scan order even when a later code's answer comes first
  scans = scans.then(async () => takeScan(await answer, raw, quantity, match)).catch(() => {});
}

/* One scan's answer, in its turn: its line is in the cart when this returns (its preview may still be coming). */
function takeScan(r, raw, quantity, match) {
  const scan = $("scan");
  if (!r.ok) {
    if (!scan.value) scan.value = match ? `${quantity}*${raw}` : raw;
    say(errorText(r.body), "error");
    focusScan();
    return;
  }
  const body = r.body;
  if (body.status === "search") {
    if (body.results.length === 1) { addLine(body.results[0], body.results[0].base_unit, quantity, null); return; }
    showResults(body.results, raw, quantity);
    return;
  }
  if (body.needs_lot_confirmation) { askLot(body, quantity); return; }
  const warnings = (body.warnings || []).map((w) => T[w]).filter(Boolean);
  if (body.lot && !body.lot_known) warnings.push(fill(T.lot_not_in_stock, { lot: body.lot }));
  addLine(body.product, body.unit, quantity, body.lot_known ? body.lot : null, warnings);
}

/* "còn 3 Hộp 5 Vỉ" from the result's on-hand base units; nothing when the search does not say. */
function onHandText(product) {
  if (typeof product.on_hand !== "number") return null;
  if (product.on_hand <= 0) return el("span", { className: "badge muted", text: T.out_of_stock });
  const biggest = [...(product.units || [])].sort((a, b) => b.factor - a.factor)[0];
  return el("span", { className: "on-hand", text: `${T.on_hand}: ${formatQuantity(product.on_hand, product.units, biggest && biggest.name)}` });
}

function showResults(results, query, quantity) {
  if (!results.length) { say(`${T.no_results} “${query}”.`, "error"); focusScan(); return; }
  Object.assign(found, { results, index: 0, quantity });
  say("");
  $("results-hint").textContent = T.pick_result;
  const list = $("results-list");
  list.innerHTML = "";
  results.forEach((p, i) => {
    const units = p.units.map((u) => `${u.name} ${formatMoney(u.price)}`).join(" · ");
    const item = el("li", { role: "option", "data-index": String(i) }, [
      el("strong", { text: p.name }), el("span", { className: "hint", text: ` ${p.active_ingredient || ""} — ${units}` }),
    ]);
    if (p.prescription_only) item.appendChild(el("span", { className: "badge rx", text: T.rx }));
    const stock = onHandText(p);
    if (stock) item.appendChild(stock);
    item.addEventListener("click", () => pickResult(i));
    list.appendChild(item);
  });
  highlightResult();
  $("results-dialog").showModal();
}

function highlightResult() {
  Array.from($("results-list").children).forEach((item, i) => {
    item.classList.toggle("selected", i === found.index);
    item.setAttribute("aria-selected", i === found.index ? "true" : "false");
    if (i === found.index) item.scrollIntoView({ block: "nearest" });
  });
}

async function pickResult(i) {
  const product = found.results[i];
  $("results-dialog").close();
  await addLine(product, product.base_unit, found.quantity || 1, null);
  focusScan();
}

$("results-dialog").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") { found.index = Math.min(found.results.length - 1, found.index + 1); highlightResult(); event.preventDefault(); }
  else if (event.key === "ArrowUp") { found.index = Math.max(0, found.index - 1); highlightResult(); event.preventDefault(); }
  else if (event.key === "Enter") { event.preventDefault(); pickResult(found.index); }
});

/* ---- ambiguous lot: pick a candidate (1..n) or type the lot printed on the pack ---- */
function askLot(scanned, quantity) {
  found.pendingLot = { scanned, quantity };
  $("lot-hint").textContent = T.lot_pick;
  const list = $("lot-list");
  list.innerHTML = "";
  scanned.lot_candidates.forEach((c, i) => {
    const text = `${i + 1} · ${T.lot} ${c.lot}${c.expiry ? ` · ${T.exp} ${formatDay(c.expiry)}` : ""}${c.serial ? ` · SN ${c.serial}` : ""}`;
    const item = el("li", { role: "option", text });
    item.addEventListener("click", () => useLot(c.lot));
    list.appendChild(item);
  });
  $("lot-input").value = "";
  $("lot-dialog").showModal();
  $("lot-input").focus();
}

async function useLot(lot) {
  const pending = found.pendingLot;
  if (!lot) { $("lot-hint").textContent = T.lot_required; return; }
  $("lot-dialog").close();
  const known = pending.scanned.known_lots.some((k) => k.lot === lot);
  const warnings = known ? [] : [fill(T.lot_not_in_stock, { lot })];
  await addLine(pending.scanned.product, pending.scanned.unit, pending.quantity, known ? lot : null, warnings);
  focusScan();
}

$("lot-dialog").addEventListener("keydown", (event) => {
  const n = parseInt(event.key, 10);
  const candidates = found.pendingLot ? found.pendingLot.scanned.lot_candidates : [];
  if (document.activeElement !== $("lot-input") || $("lot-input").value === "") {
    if (n >= 1 && n <= candidates.length) { event.preventDefault(); useLot(candidates[n - 1].lot); }
  }
});
$("lot-form").addEventListener("submit", (event) => { event.preventDefault(); useLot($("lot-input").value.trim()); });

/* Keyboard-wedge scanners send GS as Ctrl+]: put the separator into the box where the caret is. */
export function insertSeparator() {
  const scan = $("scan");
  const start = scan.selectionStart;
  scan.value = scan.value.slice(0, start) + GS + scan.value.slice(scan.selectionEnd);
  scan.selectionStart = scan.selectionEnd = start + 1;
}
