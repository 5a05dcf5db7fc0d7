/* Goods receipt form: scan or search to add lines, then POST /api/v1/receipts; errors shown per field. */
"use strict";
(function () {
  var form = document.getElementById("receipt-form");
  if (!form) return;
  var T = JSON.parse(document.getElementById("receipt-strings").textContent);
  var storeId = Number(form.dataset.storeId);
  var scan = document.getElementById("receipt-scan");
  var status = document.getElementById("receipt-status");
  var results = document.getElementById("receipt-results");
  var body = document.querySelector("#receipt-lines tbody");
  var found = [], index = 0;

  function say(text, kind) { status.textContent = text; status.className = "status" + (kind ? " " + kind : ""); }

  function addLine(product, unitName, lot, expiry) {
    var row = document.getElementById("receipt-line").content.firstElementChild.cloneNode(true);
    row.dataset.productId = product.id;
    row.querySelector(".product").textContent = product.name;
    var select = row.querySelector("select");
    product.units.slice().reverse().forEach(function (u) {
      var option = document.createElement("option");
      option.value = u.name; option.textContent = u.name + " (×" + u.factor + ")";
      if (u.name === unitName) option.selected = true;
      select.appendChild(option);
    });
    if (lot) row.querySelector('[name="lot"]').value = lot;
    if (expiry) row.querySelector('[name="expiry"]').value = expiry;
    row.querySelector(".remove").addEventListener("click", function () { row.remove(); scan.focus(); });
    body.appendChild(row);
    renumber();
    say(T.added + " " + product.name, "ok");
    var next = row.querySelector(lot ? '[name="quantity"]' : '[name="lot"]');
    next.focus(); next.select();
  }

  function renumber() {
    Array.prototype.forEach.call(body.children, function (row, i) {
      Array.prototype.forEach.call(row.querySelectorAll("[name]"), function (input) {
        input.dataset.path = "lines[" + i + "]." + input.name;
      });
    });
  }

  function showResults(list) {
    found = list; index = 0; results.innerHTML = "";
    if (!list.length) { say(T.not_found, "error"); return; }
    say(T.pick);
    list.forEach(function (p, i) {
      var item = document.createElement("li");
      item.textContent = p.name + (p.active_ingredient ? " — " + p.active_ingredient : "");
      item.addEventListener("click", function () { choose(i); });
      results.appendChild(item);
    });
    highlight();
  }
  function highlight() { Array.prototype.forEach.call(results.children, function (li, i) { li.classList.toggle("selected", i === index); }); }
  function choose(i) { var p = found[i]; found = []; results.innerHTML = ""; addLine(p, p.units[p.units.length - 1].name); }

  scan.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.code === "BracketRight") { event.preventDefault(); scan.value += "\u001d"; return; }
    if (found.length && event.key === "ArrowDown") { index = Math.min(found.length - 1, index + 1); highlight(); event.preventDefault(); return; }
    if (found.length && event.key === "ArrowUp") { index = Math.max(0, index - 1); highlight(); event.preventDefault(); return; }
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (found.length && !scan.value.trim()) { choose(index); return; }
    var code = scan.value;
    if (!code.trim()) return;
    apiCall("GET", "/api/v1/scan?store_id=" + storeId + "&code=" + encodeURIComponent(code)).then(function (r) {
      if (!r.ok) { say(errorText(r.body), "error"); scan.select(); return; }
      scan.value = "";
      if (r.body.status === "search") { showResults(r.body.results); return; }
      addLine(r.body.product, r.body.unit, r.body.lot, r.body.expiry);
      if (r.body.needs_lot_confirmation) say(T.ambiguous, "warn");
    });
  });

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (i) { i.removeAttribute("aria-invalid"); });
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (s) { s.textContent = ""; });
  }

  function showErrors(data) {
    say(data.message || "", "error");
    Object.keys(data.errors || {}).forEach(function (path) {
      var input = form.querySelector('[data-path="' + path + '"]');
      if (!input) return;
      input.setAttribute("aria-invalid", "true");
      var slot = input.parentElement.querySelector(".field-error");
      if (slot) slot.textContent = data.errors[path].join(" ");
      else input.title = data.errors[path].join(" ");
    });
    var first = form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
  }

  function submit() {
    clearErrors();
    if (!body.children.length) { say(T.empty, "error"); scan.focus(); return; }
    var lines = Array.prototype.map.call(body.children, function (row) {
      var v = function (name) { return row.querySelector('[name="' + name + '"]').value.trim(); };
      var line = { product_id: Number(row.dataset.productId), unit: v("unit"), quantity: parseInt(v("quantity"), 10) || 0,
        lot: v("lot"), expiry: v("expiry") || null, unit_price: parseInt(v("unit_price"), 10) || 0 };
      if (v("manufactured")) line.manufactured = v("manufactured");
      return line;
    });
    var data = { store_id: storeId, kind: form.kind.value, supplier_name: form.supplier_name.value.trim(), note: form.note.value.trim(), lines: lines };
    apiCall("POST", "/api/v1/receipts", data).then(function (r) {
      if (!r.ok) { showErrors(r.body); return; }
      body.innerHTML = "";
      say(T.saved + " " + r.body.number, "ok");
      scan.focus();
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
  body.addEventListener("keydown", function (event) {  // Enter in a line goes back to the scan box, F9 saves
    if (event.key === "Enter") { event.preventDefault(); scan.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "F9") { event.preventDefault(); submit(); }
    if (event.key === "F2") { event.preventDefault(); scan.focus(); }
  });
})();
