/* Stock page: destroy an expired or quarantined lot with a goods issue (POST /api/v1/issues, kind destruction);
   move units into quarantine and back. */
import { apiCall, errorText } from "./js/api.js";

(function () {
  var table = document.getElementById("stock-table");
  var status = document.getElementById("stock-status");
  document.getElementById("stock-show").addEventListener("change", function () { this.form.submit(); });
  Array.prototype.forEach.call(document.querySelectorAll(".destroy-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var d = form.dataset;
      var body = { store_id: Number(table.dataset.storeId), kind: "destruction", note: form.note.value.trim(),
        lines: [{ product_id: Number(d.productId), unit: d.unit, quantity: Number(d.quantity), lot: d.lot, expiry: d.expiry,
          state: d.state }] };
      apiCall("POST", "/api/v1/issues", body).then(function (r) {
        if (r.ok) { window.location.reload(); return; }
        status.className = "status error";
        status.textContent = errorText(r.body);
      });
    });
  });
  /* Quarantine units of a lot, or release quarantined ones (POST /api/v1/stock/quarantine | release, base units). */
  Array.prototype.forEach.call(document.querySelectorAll(".state-form"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var d = form.dataset;
      var body = { store_id: Number(table.dataset.storeId), lines: [{ product_id: Number(d.productId), lot: d.lot,
        expiry: d.expiry, quantity: Number(form.quantity.value), reason: form.reason.value.trim() }] };
      apiCall("POST", "/api/v1/stock/" + d.path, body).then(function (r) {
        if (r.ok) { window.location.reload(); return; }
        status.className = "status error";
        status.textContent = errorText(r.body);
      });
    });
  });
})();
