/* Receipt page: Enter = next customer (back to the scan box), P = print, S = the sale's page, L = the dosage labels. */
const next = document.getElementById("next-customer");
next.focus();
document.getElementById("print-receipt").addEventListener("click", () => window.print());
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  const key = event.key.toLowerCase();
  if (key === "p") { event.preventDefault(); window.print(); }
  else if (key === "l" && document.getElementById("dosage-labels")) {
    event.preventDefault(); window.location.href = document.getElementById("dosage-labels").href;
  }
  else if (key === "s") { event.preventDefault(); window.location.href = document.getElementById("sale-page").href; }
  else if (key === "escape") { event.preventDefault(); window.location.href = next.href; }
});
