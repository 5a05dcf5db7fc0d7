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
/* A closed dialog gives the scan box the keyboard — unless a key was already pressed on the page since (the close
   event comes a moment after the dialog is gone: F3 pressed at once must keep its quantity box). */
let keyedOnPage = false;
document.addEventListener("keydown", () => { keyedOnPage = !document.querySelector("dialog[open]"); }, true);
document.addEventListener("focusin", (event) => { if (event.target.closest("dialog[open]")) keyedOnPage = false; });
for (const dialog of document.querySelectorAll("dialog")) {
  dialog.addEventListener("close", () => { if (!document.querySelector("dialog[open]") && !keyedOnPage) focusScan(); });
}
render();
focusScan();
