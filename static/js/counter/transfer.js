/* A bank transfer after F9: the sale is recorded awaiting payment; its VietQR is shown and the sale polled until
   the bank feed marks it paid (then the receipt). The customer may pay cash instead, or leave (void). */
import { apiCall, errorText } from "../api.js";
import { formatMoney } from "../format.js";
import { $, root, say, T } from "./state.js";

const POLL_MS = 500;
let waiting = null;  // {sale, timer}

function receipt(saleId) { window.location.href = `/sales/${saleId}/receipt?from=counter`; }

async function poll() {
  if (!waiting) return;
  const r = await apiCall("GET", `/api/v1/sales/${waiting.sale.id}`);
  if (!waiting) return;
  if (r.ok && r.body.payment.status === "paid") { const id = waiting.sale.id; stop(); receipt(id); return; }
  waiting.timer = setTimeout(poll, POLL_MS);
}

function stop() {
  if (waiting && waiting.timer) clearTimeout(waiting.timer);
  waiting = null;
}

export function isWaiting() { return waiting !== null; }

export function showTransfer(sale) {
  $("pay-form").hidden = true;
  $("pay-qr").hidden = false;
  $("qr-image").src = `/sales/${sale.id}/vietqr.svg`;
  $("qr-amount").textContent = formatMoney(sale.total);
  $("qr-memo").textContent = sale.payment.memo;
  $("qr-status").textContent = T.awaiting_transfer;
  $("qr-sandbox").hidden = root.dataset.sandboxBank !== "1";
  $("qr-confirm").hidden = true;
  waiting = { sale, timer: setTimeout(poll, POLL_MS) };
  $("qr-cash").focus();
}

async function act(method, url, body) {
  const r = await apiCall(method, url, body);
  if (!r.ok) $("qr-status").textContent = errorText(r.body);
  return r;
}

$("qr-cash").addEventListener("click", async () => {
  if (!waiting) return;
  const id = waiting.sale.id;
  const r = await act("POST", `/api/v1/sales/${id}/payment`, { payment_method: "cash" });
  if (r.ok) { stop(); receipt(id); }
});
$("qr-void").addEventListener("click", async () => {
  if (!waiting) return;
  const r = await act("POST", `/api/v1/sales/${waiting.sale.id}/void`, { reason: T.transfer_abandoned });
  if (r.ok) {
    stop();
    $("pay-dialog").close();
    say(T.transfer_voided);
    window.location.reload();
  }
});
/* The feed missed it: the owner, having seen the money on the account, confirms with their password (audited). */
$("qr-received").addEventListener("click", () => {
  $("qr-confirm").hidden = false;
  $("received-username").focus();
});
$("qr-confirm").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!waiting) return;
  const id = waiting.sale.id;
  const approval = { username: $("received-username").value.trim(), password: $("received-password").value };
  const r = await act("POST", `/api/v1/sales/${id}/payment`, { payment_method: "bank_transfer", approval });
  $("received-password").value = "";
  if (r.ok && r.body.payment.status === "paid") { stop(); receipt(id); }
});
$("qr-sandbox").addEventListener("click", () => {
  if (waiting) act("POST", `/sales/${waiting.sale.id}/sandbox-bank`);
});
$("pay-dialog").addEventListener("cancel", (event) => { if (waiting) event.preventDefault(); });
