/* The counter page: one scan box, a cart previewed by the server, keyboard-only payment (see the shortcut list). */
import { changeQuantity, clearCart, focusDiscount, move, nextUnit, removeLine, render } from "./cart.js";
import { openCustomer } from "./customer.js";
import { openPayment } from "./payment.js";
import { openRx } from "./prescription.js";
import { insertSeparator, submitScan } from "./search.js";
import { $, focusScan, say, state } from "./state.js";

const scan = $("scan");

scan.addEventListener("keydown", (event) => {
  if (event.ctrlKey && event.code === "BracketRight") { event.preventDefault(); insertSeparator(); return; }
  const empty = scan.value === "";
  const onEmpty = { ArrowDown: () => move(1), ArrowUp: () => move(-1), "+": () => changeQuantity(1),
    "-": () => changeQuantity(-1), Delete: removeLine };
  if (event.key === "Enter") { event.preventDefault(); submitScan(); }
  else if (event.key === "Escape") { scan.value = ""; say(""); }
  else if (empty && onEmpty[event.key]) { event.preventDefault(); onEmpty[event.key](); }
});
$("scan-form").addEventListener("submit", (event) => { event.preventDefault(); submitScan(); });

function focusQuantity() {
  const q = document.querySelector(`input.qty[data-line="${state.selected}"]`);
  if (q) { q.focus(); q.select(); }
}

const pageKeys = { F2: focusScan, F3: focusQuantity, F4: nextUnit, F6: focusDiscount, F7: openRx, F8: clearCart, F9: openPayment,
  F10: openCustomer };
document.addEventListener("keydown", (event) => {
  if (document.querySelector("dialog[open]") || !pageKeys[event.key]) return;
  event.preventDefault();
  pageKeys[event.key]();
});
for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("close", () => { if (!document.querySelector("dialog[open]")) focusScan(); });
}
render();
focusScan();
