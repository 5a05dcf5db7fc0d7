/* The cart: lines as the pharmacist asked for them, previewed by the server (prices, FEFO lots, stock, problems,
   cash), rendered as the table and the total. */
import { apiCall, errorText } from "../api.js";
import { fill, formatDay, formatMoney, formatNumber, formatQuantity } from "../format.js";
import { classLabel, onPaper } from "./controlled.js";
import { $, el, focusScan, say, state, storeId, T } from "./state.js";

let asked = 0;  // only the answer to the latest preview request is shown

function requestLines() {
  return state.lines.map((l) => ({ product_id: l.product_id, unit: l.unit, quantity: l.quantity, lot: l.lot,
    ...lineDiscount(l) }));
}

/* A line's own discount as the API takes it: {discount_percent} or {discount_amount}, or nothing. */
export function lineDiscount(line) {
  if (line.discount_percent) return { discount_percent: line.discount_percent };
  if (line.discount_amount) return { discount_amount: line.discount_amount };
  return {};
}

/* "10%" → percent, "5.000" or "5000" → VND, "" → none; anything else: null (refused). */
export function parseDiscount(text) {
  const typed = text.replace(/\s/g, "");
  if (!typed || /^0+%?$/.test(typed)) return {};
  const percent = typed.match(/^(\d{1,3})%$/);
  if (percent) return Number(percent[1]) <= 100 ? { discount_percent: Number(percent[1]) } : null;
  if (/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(typed)) return { discount_amount: parseInt(typed.replace(/\D/g, ""), 10) };
  return null;
}

function discountShown(line) {
  if (line.discount_percent) return `${line.discount_percent}%`;
  return line.discount_amount ? formatNumber(line.discount_amount) : "";
}

/* Apply what was typed in a line's discount box; a refusal (bad text, above the line) keeps the last good cart. */
async function applyDiscount(i, box) {
  const parsed = parseDiscount(box.value);
  if (parsed === null) { say(T.discount_invalid, "error"); box.focus(); box.select(); return; }
  const line = state.lines[i];
  const before = { discount_percent: line.discount_percent, discount_amount: line.discount_amount };
  delete line.discount_percent;
  delete line.discount_amount;
  Object.assign(line, parsed);
  if (!(await refresh())) { Object.assign(line, before); render(); box.focus(); return; }
  const shown = state.preview.lines[i];
  if (shown && shown.discount_amount) {
    say(`${T.line_discount}: ${shown.product_name} −${formatMoney(shown.discount_amount)}`,
      state.preview.needs_approval ? "warn" : "ok");
  }
  if (state.preview.needs_approval) say(fill(T.needs_approval, { max: `${state.preview.max_discount_percent}%` }), "warn");
  focusScan();
}

/* Ask the server for the cart as it stands (and, when paying, for the cash rules); resolves once rendered. */
export async function refresh(payment = {}) {
  const ticket = ++asked;
  if (!state.lines.length) {
    state.preview = null;
    render();
    return null;
  }
  const r = await apiCall("POST", "/api/v1/counter/preview", { store_id: storeId, lines: requestLines(), ...payment });
  if (ticket !== asked) return state.preview;
  if (!r.ok) { say(errorText(r.body), "error"); return null; }
  state.preview = r.body;
  render();
  return r.body;
}

/* Why a line cannot be sold, in one sentence (a shortage is said in the line's unit). */
export function problemText(line) {
  if (line.problem === "insufficient") {
    const have = line.available_base ?? line.sellable_base;
    return fill(T.shortage, {
      need: formatQuantity(line.quantity * line.unit_factor, line.units, line.unit),
      have: formatQuantity(have, line.units, line.unit),
    });
  }
  return T[line.problem] || line.message;
}

/* Add (or add to) a line, then say in one message what happened: added, or why it cannot be sold. */
export async function addLine(product, unitName, quantity, lot, warnings = []) {
  const same = state.lines.findIndex((l) => l.product_id === product.id && l.unit === unitName
    && (l.lot || null) === (lot || null) && !l.prescription_line_id);
  if (same >= 0) {
    state.lines[same].quantity += quantity;
    state.selected = same;
  } else {
    state.lines.push({ product_id: product.id, unit: unitName, quantity, lot: lot || null });
    state.selected = state.lines.length - 1;
  }
  const preview = await refresh();
  const shown = preview && preview.lines[state.selected];
  if (!preview) return;
  if (shown && shown.problem) {
    say(`${product.name}: ${problemText(shown)}`, "error");
    return;
  }
  const added = `${T.added}: ${product.name} · ${quantity} ${unitName}`;
  say([added, ...warnings].join(" — "), warnings.length ? "warn" : "ok");
}

function lotsCell(line) {
  const cell = el("td", { className: "lots" });
  if (line.problem) {
    cell.appendChild(el("span", { className: "problem", text: problemText(line) }));
    return cell;
  }
  for (const a of line.allocations) {
    const text = `${T.lot} ${a.lot} · ${T.exp} ${formatDay(a.expiry)} · ${formatQuantity(a.quantity, line.units, line.unit)}`;
    const tag = el("div", { className: `alloc${a.near_expiry ? " near" : ""}`, text });
    if (a.near_expiry) tag.appendChild(el("span", { className: "badge warn", text: T.near_expiry }));
    cell.appendChild(tag);
  }
  cell.appendChild(el("div", { className: "hint", text: `${T.stock}: ${formatQuantity(line.sellable_base, line.units, line.unit)}` }));
  return cell;
}

function discountCell(line, i) {
  const box = el("input", { className: "discount", value: discountShown(state.lines[i]), inputmode: "decimal",
    placeholder: T.discount_hint, "aria-label": T.line_discount, "data-line": String(i), autocomplete: "off" });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); applyDiscount(i, box); }
    else if (event.key === "Escape") { event.preventDefault(); render(); focusScan(); }
  });
  return el("td", { className: "num" }, [box]);
}

/* What the line nets; with a discount, the list amount struck through above it. */
function amountCell(line) {
  const cell = el("td", { className: "num amount" });
  if (line.gross && line.gross !== line.amount) cell.appendChild(el("s", { className: "gross", text: formatMoney(line.gross) }));
  cell.appendChild(el("div", { className: "net", text: formatMoney(line.amount) }));
  return cell;
}

/* The quantity box; for a controlled drug on a paper prescription, what it gives below, and a refusal of the
   quantity (beyond the prescription) under it until the quantity or unit is changed. */
function quantityCell(qty, line, i) {
  const cell = el("td", { className: "num" }, [qty]);
  const wanted = state.lines[i];
  if (onPaper() && wanted.prescribed_quantity && line.control_class && line.control_class !== "none") {
    cell.appendChild(el("div", { className: "hint prescribed", text: `${T.controlled_prescribed}: ${wanted.prescribed_quantity} ${line.unit}` }));
  }
  if (wanted.refusal && wanted.refusal.field === "quantity") {
    cell.appendChild(el("span", { className: "field-error", role: "alert", text: wanted.refusal.text }));
    qty.setAttribute("aria-invalid", "true");
  }
  return cell;
}

/* A line's quantity or unit changed: a refusal of its old quantity no longer stands; a quantity prescribed was
   typed in the old unit, so it is asked again (F7). */
function changed(line, unit = false) {
  if (line.refusal && line.refusal.field === "quantity") delete line.refusal;
  if (unit) delete line.prescribed_quantity;
}

function lineRow(line, i) {
  const select = el("select", { "aria-label": T.unit, "data-line": String(i) });
  for (const u of line.units) {
    const option = el("option", { value: u.name, text: `${u.name} (${formatMoney(u.price)})` });
    option.selected = u.name === line.unit;
    select.appendChild(option);
  }
  select.addEventListener("change", () => { state.lines[i].unit = select.value; changed(state.lines[i], true); refresh(); });
  const qty = el("input", { className: "qty", value: String(line.quantity), inputmode: "numeric", "data-line": String(i), "aria-label": T.qty });
  qty.addEventListener("keydown", async (event) => {
    if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      const n = parseInt(qty.value, 10);
      const before = state.lines[i].quantity;
      if (n > 0 && n !== before) { state.lines[i].quantity = n; changed(state.lines[i]); }
      if (!(await refresh())) { state.lines[i].quantity = before; render(); }  // refused: keep the last good cart
      focusScan();
    } else if (event.key === "Escape") {
      event.preventDefault();
      render();
      focusScan();
    }
  });
  const name = el("td", { className: "name" }, [el("span", { text: line.product_name })]);
  if (line.prescription_only) name.appendChild(el("span", { className: "badge rx", text: T.rx }));
  if (line.control_class && line.control_class !== "none") {
    name.appendChild(el("span", { className: "badge warn controlled", text: classLabel(line) }));
  }
  const refusal = state.lines[i].refusal;
  if (refusal && refusal.field === "product_id") name.appendChild(el("span", { className: "field-error", role: "alert", text: refusal.text }));
  const directions = el("input", { className: "directions", value: state.lines[i].directions || "", maxlength: "300",
    placeholder: T.directions_hint, "aria-label": T.directions, "data-line": String(i) });
  directions.addEventListener("change", () => { state.lines[i].directions = directions.value.trim(); });
  name.appendChild(el("div", {}, [directions]));
  const row = el("tr", { className: `${i === state.selected ? "selected " : ""}${line.problem ? "blocked" : ""}`, "data-line": String(i) }, [
    el("td", { text: String(i + 1) }), name, el("td", {}, [select]), quantityCell(qty, line, i),
    el("td", { className: "num", text: formatMoney(line.unit_price) }), discountCell(line, i),
    amountCell(line), lotsCell(line),
  ]);
  row.addEventListener("click", () => { state.selected = i; render(); });
  return row;
}

export function render() {
  const body = $("cart-lines");
  body.innerHTML = "";
  const preview = state.preview;
  if (!preview || !preview.lines.length) {
    body.appendChild(el("tr", { className: "empty" }, [el("td", { colspan: "8", text: T.empty_cart })]));
    $("cart-total").textContent = formatMoney(0);
  } else {
    preview.lines.forEach((line, i) => body.appendChild(lineRow(line, i)));
    $("cart-total").textContent = formatMoney(preview.total);
  }
  const discounted = Boolean(preview && preview.discount_total);
  $("cart-discount").hidden = !discounted;
  if (discounted) {
    $("cart-gross").textContent = formatMoney(preview.gross);
    $("cart-discount-total").textContent = `−${formatMoney(preview.discount_total)}`;
  }
  renderRx();
}

export function renderRx() {
  const needs = state.preview && state.preview.needs_prescription;
  const box = $("rx-state");
  box.hidden = !needs;
  if (!needs) return;
  const p = state.prescription;
  box.className = `rx-state ${p ? "ok" : "warn"}`;
  box.textContent = p ? `${T.rx_saved} ${p.national_code || p.patient_name}` : T.rx_needed;
}

function selectedLine() { return state.selected >= 0 ? state.lines[state.selected] : null; }

export function changeQuantity(delta) {
  const line = selectedLine();
  if (!line) return;
  line.quantity = Math.max(1, line.quantity + delta);
  changed(line);
  refresh();
}

export function nextUnit() {
  const line = selectedLine();
  const shown = state.preview && state.preview.lines[state.selected];
  if (!line || !shown) return;
  const names = [...shown.units].sort((a, b) => b.factor - a.factor).map((u) => u.name);  // Hộp, Vỉ, Viên
  line.unit = names[(names.indexOf(line.unit) + 1) % names.length];
  changed(line, true);
  refresh();
}

export function removeLine() {
  if (state.selected < 0) return;
  state.lines.splice(state.selected, 1);
  state.selected = Math.min(state.selected, state.lines.length - 1);
  say(T.removed);
  refresh();
}

export function clearCart() {
  state.lines = [];
  state.selected = -1;
  state.prescription = null;
  state.buyer = null;
  refresh();
  say(T.cart_cleared);
}

/* F6: the selected line's discount box. */
export function focusDiscount() {
  const box = document.querySelector(`input.discount[data-line="${state.selected}"]`);
  if (box) { box.focus(); box.select(); }
}

export function move(step) {
  if (!state.lines.length) return;
  state.selected = Math.max(0, Math.min(state.lines.length - 1, state.selected + step));
  render();
}
