/* Sale page: void (whole sale) and customer return through the JSON API, with the reason. */
"use strict";
(function () {
  var box = document.getElementById("corrections");
  if (!box) return;
  var saleId = box.dataset.saleId;
  var status = document.getElementById("correction-status");
  function done(r) {
    if (r.ok) { window.location.reload(); return; }
    status.className = "status error";
    status.textContent = errorText(r.body);
  }
  document.getElementById("void-form").addEventListener("submit", function (event) {
    event.preventDefault();
    apiCall("POST", "/api/v1/sales/" + saleId + "/void", { reason: document.getElementById("void-reason").value.trim() }).then(done);
  });
  document.getElementById("return-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var lines = [];
    Array.prototype.forEach.call(document.querySelectorAll(".return-qty"), function (input) {
      var quantity = parseInt(input.value, 10);
      if (quantity > 0) lines.push({ sale_line_id: Number(input.dataset.lineId), quantity: quantity });
    });
    apiCall("POST", "/api/v1/sales/" + saleId + "/returns", { lines: lines, reason: document.getElementById("return-reason").value.trim() }).then(done);
  });
})();
