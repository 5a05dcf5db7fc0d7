/* Payment (F9): the method row has focus, 1 cash · 2 transfer · 3 card; digits then go to the cash tendered. The
   server's preview says the change and what cash is missing; the sale is posted with one Idempotency-Key per
   checkout attempt, so a double press or a retry after a network error never sells twice. */
import { apiCall, errorText, newKey } from "../api.js";
import { fill, formatMoney, formatNumber } from "../format.js";
import { lineDiscount, refresh, render } from "./cart.js";
import { placeRefusal, showInRx } from "./controlled.js";
import { openRx } from "./prescription.js";
import { $, focusScan, say, state, statusText, storeId, T } from "./state.js";
import { isWaiting, showTransfer } from "./transfer.js";

const METHOD_KEYS = { 1: "cash", 2: "bank_transfer", 3: "card" };
const dialog = $("pay-dialog");
const tenderedBox = $("pay-tendered");
/* One checkout attempt: its key stays until the server gives a definite answer, even if the dialog is closed and
   opened again, so a sale whose answer was lost is never recorded twice. */
let attempt = null;  // {key, sending, again, unknown}
let cashCheck = Promise.resolve(null);
let cashAsked = 0;  // only the latest check speaks in the dialog: an earlier answer arriving late is dropped

function method() { return document.querySelector('#pay-form input[name="method"]:checked').value; }
function methodInput(name) { return document.querySelector(`#pay-form input[value="${name}"]`); }
function discount() {
  const digits = $("pay-discount").value.replace(/\D/g, "");
  return digits ? parseInt(digits, 10) : 0;
}
function tendered() {
  const digits = tenderedBox.value.replace(/\D/g, "");
  return digits ? parseInt(digits, 10) : null;
}

/* Ask the server (the cart's preview) what the tendered cash means: change, or what is still missing. */
function checkCash() {
  const ticket = ++cashAsked;
  $("tendered-label").hidden = method() !== "cash";
  cashCheck = refresh({ payment_method: method(), amount_tendered: method() === "cash" ? tendered() : null,
    discount_amount: discount() })
    .then((preview) => {
      if (ticket !== cashAsked) return preview;
      $("pay-change").textContent = formatMoney(preview ? preview.change : 0);
      if (!preview && state.lines.length) $("pay-error").textContent = statusText();  // e.g. a discount too large
      if (preview) {
        $("pay-error").textContent = "";
        $("pay-total").textContent = formatMoney(preview.total);
        showApproval(preview);
      }
      return preview;
    });
  return cashCheck;
}

/* Above the seller's ceiling the owner's password is asked for here, before the sale is sent. */
function showApproval(preview) {
  if (preview.needs_approval) {
    $("pay-approval").hidden = false;
    $("pay-error").textContent = fill(T.needs_approval, { max: `${preview.max_discount_percent}%` });
  } else if (!$("approval-username").value) {
    $("pay-approval").hidden = true;
  }
}

function chooseMethod(name) {
  methodInput(name).checked = true;
  checkCash();
  if (name === "cash") { tenderedBox.focus(); tenderedBox.select(); }
  else methodInput(name).focus();
}

export function openPayment() {
  const preview = state.preview;
  if (isWaiting()) { $("pay-dialog").showModal(); return; }
  if (!preview || !preview.lines.length) { say(T.empty_cart, "error"); return; }
  if (!preview.can_pay) { say(T.fix_lines, "error"); return; }
  if (preview.needs_prescription && !state.prescription) { say(T.rx_needed, "error"); openRx(); return; }
  if (!attempt || !attempt.unknown) attempt = { key: newKey(), sending: false, unknown: false };
  $("pay-total").textContent = formatMoney(preview.total);
  $("pay-error").textContent = "";
  showApproval(preview);
  tenderedBox.value = "";
  $("pay-change").textContent = formatMoney(0);
  $("tendered-label").hidden = method() !== "cash";
  dialog.showModal();
  document.querySelector('#pay-form input[name="method"]:checked').focus();
}

/* The buyer's details on the e-invoice, when the customer asked for them (stores issuing e-invoices only). */
const BUYER_FIELDS = ["tax_code", "id_number", "name", "address", "email", "phone"];
function buyerDetails() {
  if (!$("pay-buyer")) return null;
  const buyer = {};
  for (const field of BUYER_FIELDS) {
    const value = $(`buyer-${field}`).value.trim();
    if (value) buyer[field] = value;
  }
  return Object.keys(buyer).length ? buyer : null;
}

function saleBody() {
  const lines = state.lines.map((l) => {
    const line = { product_id: l.product_id, unit: l.unit, quantity: l.quantity };
    if (l.lot) line.lot = l.lot;
    if (l.prescription_line_id) line.prescription_line_id = l.prescription_line_id;
    if (l.substitution_reason) line.substitution_reason = l.substitution_reason;
    if (l.directions) line.directions = l.directions;
    if (l.prescribed_quantity) line.prescribed_quantity = l.prescribed_quantity;
    return { ...line, ...lineDiscount(l) };
  });
  const body = { store_id: storeId, lines, payment_method: method(), customer_name: $("pay-customer").value.trim(),
    prescription: state.prescription };
  if (state.customer) body.customer_id = state.customer.id;
  if (state.buyer) body.buyer = state.buyer;
  if (discount()) body.discount_amount = discount();
  if ($("pay-discount-reason").value.trim()) body.discount_reason = $("pay-discount-reason").value.trim();
  if (body.payment_method === "cash" && tendered()) body.amount_tendered = tendered();
  const buyer = buyerDetails();
  if (buyer) body.buyer = { ...(body.buyer || {}), ...buyer };
  if (!$("pay-approval").hidden && $("approval-username").value.trim()) {
    body.approval = { username: $("approval-username").value.trim(), password: $("approval-password").value };
  }
  return body;
}

async function pay() {
  if (!attempt) return;
  if (attempt.sending) { attempt.again = true; return; }  // pressed while the last press is on its way: once more after
  attempt.sending = true;
  attempt.again = false;
  // What was typed when Enter was pressed decides: an owner's name typed while the check was on its way (and a
  // password perhaps not yet) is not sent by this press, but by the next one.
  const approvalTyped = !$("pay-approval").hidden && $("approval-username").value.trim() !== "";
  try {
    const preview = await checkCash();
    if (preview && method() === "cash" && tendered() !== null && tendered() < preview.total) {
      $("pay-error").textContent = T.short;
      return;
    }
    if (preview && preview.needs_approval && !approvalTyped) {
      showApproval(preview);  // the sale would be refused: the owner types their password first
      if (!$("approval-username").value.trim()) $("approval-username").focus();
      return;
    }
    $("pay-error").textContent = T.paying;
    const body = saleBody();
    const r = await apiCall("POST", "/api/v1/sales", body, { "Idempotency-Key": attempt.key });
    if (r.ok && r.body.payment.status === "awaiting_payment") { attempt = null; showTransfer(r.body); return; }
    if (r.ok) { attempt = null; window.location.href = `/sales/${r.body.id}/receipt?from=counter`; return; }
    // A definite refusal recorded nothing: the next attempt is a new one. No answer (network, 5xx), or "busy /
    // in conflict" (408, 409 — perhaps the same key still being processed — 425, 429): retry with the same key.
    attempt.unknown = !(r.status >= 400 && r.status < 500 && ![408, 409, 425, 429].includes(r.status));
    if (!attempt.unknown) attempt.key = newKey();
    $("pay-error").textContent = errorText(r.body);
    // Beside the box it names (the prescription dialog, a cart line) — unless the cart changed while the sale was
    // on its way: a refusal of what is no longer asked must not land on what the pharmacist typed since.
    const placed = [403, 422].includes(r.status) && JSON.stringify(saleBody()) === JSON.stringify(body)
      && placeRefusal(r.body);
    if (placed) {
      $("approval-password").value = "";
      showRefusal(placed, errorText(r.body));
      return;
    }
    if (r.body.errors && Object.keys(r.body.errors).some((field) => field === "approval" || /discount/.test(field))
        && r.status === 403) {
      $("pay-approval").hidden = false;  // above the store's ceiling: the owner types their password here
      $("approval-username").focus();
    }
    if (r.body.errors && r.body.errors.discount_reason) $("pay-discount-reason").focus();
    const buyerField = Object.keys(r.body.errors || {}).find((field) => field.startsWith("buyer."));
    if (buyerField && $(`buyer-${buyerField.slice(6)}`)) {
      $("pay-buyer").open = true;
      $(`buyer-${buyerField.slice(6)}`).focus();
    }
    $("approval-password").value = "";
    refresh();
  } finally {
    if (attempt) {
      attempt.sending = false;
      if (attempt.again && dialog.open) pay();
    }
  }
}

/* The payment dialog closes (its close handler gives the scan box the keyboard first), then the refusal is shown
   where it is fixed: the cart drawn with its line marks, and the prescription dialog or the line's box. */
function showRefusal(placed, text) {
  const show = () => {
    say(text, "error");
    if (placed.line !== undefined) state.selected = placed.line;
    render();
    if (placed.rx) {
      if (!$("rx-dialog").open) openRx();
      showInRx(placed.rx);
      return;
    }
    const qty = document.querySelector(`input.qty[data-line="${placed.line}"]`);
    if (state.lines[placed.line].refusal.field === "quantity" && qty) { qty.focus(); qty.select(); } else focusScan();
  };
  if (dialog.open) { dialog.addEventListener("close", show, { once: true }); dialog.close(); } else show();
}

/* The amount reads as it is typed: 100000 shows 100.000 (the caret stays at the end, where digits are typed). */
function showTendered() {
  const amount = tendered();
  tenderedBox.value = amount === null ? "" : formatNumber(amount);
}

$("pay-form").addEventListener("input", (event) => {
  if (event.target === tenderedBox) showTendered();
  if (!["pay-customer", "pay-discount-reason"].includes(event.target.id) && !event.target.id.startsWith("buyer-")) {
    checkCash();
  }
});
dialog.addEventListener("keydown", (event) => {
  const onMethods = event.target.name === "method";
  if (!onMethods || event.ctrlKey || event.altKey || event.metaKey) return;
  if (METHOD_KEYS[event.key]) {
    event.preventDefault();
    chooseMethod(METHOD_KEYS[event.key]);
  } else if (/^[0-9]$/.test(event.key) && method() === "cash") {  // typing the amount straight away
    event.preventDefault();
    tenderedBox.value += event.key;
    showTendered();
    tenderedBox.focus();
    checkCash();
  } else if (event.key === "Enter") {
    event.preventDefault();
    pay();
  }
});
$("pay-form").addEventListener("submit", (event) => { event.preventDefault(); pay(); });
$("pay-button").addEventListener("click", openPayment);
