/* Receipt page: Enter = next customer (back to the scan box), P = print, S = the sale's page. */
"use strict";
(function () {
  var next = document.getElementById("next-customer");
  next.focus();
  document.getElementById("print-receipt").addEventListener("click", function () { window.print(); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var key = event.key.toLowerCase();
    if (key === "p") { event.preventDefault(); window.print(); }
    else if (key === "s") { event.preventDefault(); window.location.href = document.getElementById("sale-page").href; }
    else if (key === "escape") { event.preventDefault(); window.location.href = next.href; }
  });
})();
