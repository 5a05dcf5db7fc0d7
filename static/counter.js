/* The counter: one scan box, a cart previewed by the server (FEFO lots, stock, prices), keyboard-only payment. */
"use strict";
(function () {
  var root = document.getElementById("counter");
  if (!root) return;
  var storeId = Number(root.dataset.storeId);
  var T = JSON.parse(document.getElementById("counter-strings").textContent);
  var GS = "\u001d";
  var $ = function (id) { return document.getElementById(id); };
  var scan = $("scan"), statusLine = $("scan-status");
  var state = { lines: [], selected: -1, preview: null, prescription: null, results: [], resultIndex: 0 };

  function say(text, kind) {
    statusLine.textContent = text || "";
    statusLine.className = "status" + (kind ? " " + kind : "");
  }

  function focusScan() { scan.focus(); scan.select(); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* ---- cart ---- */
  function addLine(product, unitName, quantity, lot) {
    var same = state.lines.findIndex(function (l) {
      return l.product_id === product.id && l.unit === unitName && (l.lot || null) === (lot || null);
    });
    if (same >= 0) { state.lines[same].quantity += quantity; state.selected = same; }
    else {
      state.lines.push({ product_id: product.id, unit: unitName, quantity: quantity, lot: lot || null });
      state.selected = state.lines.length - 1;
    }
    say(T.added + ": " + product.name + " · " + quantity + " " + unitName, "ok");
    return refresh();
  }

  function refresh() {
    if (!state.lines.length) { state.preview = null; render(); return Promise.resolve(); }
    var lines = state.lines.map(function (l) { return { product_id: l.product_id, unit: l.unit, quantity: l.quantity, lot: l.lot }; });
    return apiCall("POST", "/api/v1/counter/preview", { store_id: storeId, lines: lines }).then(function (r) {
      if (!r.ok) { say(errorText(r.body), "error"); return; }
      state.preview = r.body;
      render();
    });
  }

  function lotsCell(line) {
    var cell = el("td", { className: "lots" });
    if (line.problem) {
      cell.appendChild(el("span", { className: "problem", text: T[line.problem] || line.message }));
      if (line.message && line.problem === "insufficient") cell.appendChild(el("div", { className: "hint", text: line.message }));
      return cell;
    }
    line.allocations.forEach(function (a) {
      var text = T.lot + " " + a.lot + " · " + T.exp + " " + formatDay(a.expiry) + " · " + a.quantity + " " + line.base_unit;
      var tag = el("div", { className: "alloc" + (a.near_expiry ? " near" : ""), text: text });
      if (a.near_expiry) tag.appendChild(el("span", { className: "badge warn", text: T.near_expiry }));
      cell.appendChild(tag);
    });
    cell.appendChild(el("div", { className: "hint", text: T.stock + ": " + line.sellable_base + " " + line.base_unit }));
    return cell;
  }

  function render() {
    var body = $("cart-lines");
    body.innerHTML = "";
    var preview = state.preview;
    if (!preview || !preview.lines.length) {
      body.appendChild(el("tr", { className: "empty" }, [el("td", { colspan: "7", text: T.empty_cart })]));
      $("cart-total").textContent = formatMoney(0);
      renderRx(); return;
    }
    preview.lines.forEach(function (line, i) {
      var select = el("select", { "aria-label": "unit", "data-line": String(i) });
      line.units.forEach(function (u) {
        var option = el("option", { value: u.name, text: u.name + " (" + formatMoney(u.price) + ")" });
        if (u.name === line.unit) option.selected = true;
        select.appendChild(option);
      });
      select.addEventListener("change", function () { state.lines[i].unit = select.value; refresh(); });
      var qty = el("input", { className: "qty", value: String(line.quantity), inputmode: "numeric", "data-line": String(i), "aria-label": "quantity" });
      qty.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === "Tab") {
          event.preventDefault();
          var n = parseInt(qty.value, 10);
          if (n > 0) state.lines[i].quantity = n;
          refresh().then(focusScan);
        } else if (event.key === "Escape") { event.preventDefault(); render(); focusScan(); }
      });
      var name = el("td", {}, [el("span", { text: line.product_name })]);
      if (line.prescription_only) name.appendChild(el("span", { className: "badge rx", text: T.rx }));
      var row = el("tr", { className: (i === state.selected ? "selected " : "") + (line.problem ? "blocked" : ""), "data-line": String(i) }, [
        el("td", { text: String(i + 1) }), name, el("td", {}, [select]), el("td", { className: "num" }, [qty]),
        el("td", { className: "num", text: formatMoney(line.unit_price) }),
        el("td", { className: "num", text: formatMoney(line.amount) }), lotsCell(line),
      ]);
      row.addEventListener("click", function () { state.selected = i; render(); });
      body.appendChild(row);
    });
    $("cart-total").textContent = formatMoney(preview.total);
    renderRx();
  }

  function renderRx() {
    var needs = state.preview && state.preview.needs_prescription;
    var box = $("rx-state");
    box.hidden = !needs;
    if (!needs) return;
    var p = state.prescription;
    box.className = "rx-state " + (p ? "ok" : "warn");
    box.textContent = p ? T.rx_saved + " " + (p.national_code || p.patient_name) : T.rx_needed;
  }

  function selectedLine() { return state.selected >= 0 ? state.lines[state.selected] : null; }

  function changeQuantity(delta) {
    var line = selectedLine();
    if (!line) return;
    line.quantity = Math.max(1, line.quantity + delta);
    refresh();
  }

  function nextUnit() {
    var line = selectedLine();
    var shown = state.preview && state.preview.lines[state.selected];
    if (!line || !shown) return;
    var names = shown.units.map(function (u) { return u.name; }).reverse();  // biggest first: Hộp, Vỉ, Viên
    line.unit = names[(names.indexOf(line.unit) + 1) % names.length];
    refresh();
  }

  function removeLine() {
    if (state.selected < 0) return;
    state.lines.splice(state.selected, 1);
    state.selected = Math.min(state.selected, state.lines.length - 1);
    say(T.removed);
    refresh();
  }

  /* ---- scan box ---- */
  function submitScan() {
    var raw = scan.value;
    if (!raw.trim()) return;
    var quantity = 1, match = /^(\d{1,4})\*(.+)$/.exec(raw);
    if (match) { quantity = parseInt(match[1], 10) || 1; raw = match[2]; }
    say(T.searching);
    var url = "/api/v1/scan?store_id=" + storeId + "&code=" + encodeURIComponent(raw);
    apiCall("GET", url).then(function (r) {
      if (!r.ok) { say(errorText(r.body), "error"); focusScan(); return; }
      scan.value = "";
      var warnings = (r.body.warnings || []).map(function (w) { return T[w]; }).filter(Boolean);
      if (r.body.status === "search") return showResults(r.body.results, raw, quantity);
      if (r.body.needs_lot_confirmation) return askLot(r.body, quantity);
      var lot = r.body.lot_known ? r.body.lot : null;
      addLine(r.body.product, r.body.unit, quantity, lot).then(function () {
        if (r.body.lot && !r.body.lot_known) warnings.push(T.lot_not_in_stock.replace("%(lot)s", r.body.lot));
        if (warnings.length) say(statusLine.textContent + " — " + warnings.join(" "), "warn");
      });
    });
  }

  scan.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.code === "BracketRight") {  // keyboard-wedge scanners send GS as Ctrl+]
      event.preventDefault();
      var start = scan.selectionStart, end = scan.selectionEnd;
      scan.value = scan.value.slice(0, start) + GS + scan.value.slice(end);
      scan.selectionStart = scan.selectionEnd = start + 1;
      return;
    }
    var empty = scan.value === "";
    if (event.key === "Enter") { event.preventDefault(); submitScan(); }
    else if (event.key === "Escape") { scan.value = ""; say(""); }
    else if (empty && event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (empty && event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (empty && event.key === "+") { event.preventDefault(); changeQuantity(1); }
    else if (empty && event.key === "-") { event.preventDefault(); changeQuantity(-1); }
    else if (empty && event.key === "Delete") { event.preventDefault(); removeLine(); }
  });
  $("scan-form").addEventListener("submit", function (event) { event.preventDefault(); submitScan(); });

  function move(step) {
    if (!state.lines.length) return;
    state.selected = Math.max(0, Math.min(state.lines.length - 1, state.selected + step));
    render();
  }

  /* ---- search results ---- */
  function showResults(results, query, quantity) {
    if (!results.length) { say(T.no_results + " “" + query + "”.", "error"); focusScan(); return; }
    state.results = results; state.resultIndex = 0; state.resultQuantity = quantity;
    $("results-hint").textContent = T.pick_result;
    var list = $("results-list");
    list.innerHTML = "";
    results.forEach(function (p, i) {
      var units = p.units.map(function (u) { return u.name + " " + formatMoney(u.price); }).join(" · ");
      var item = el("li", { role: "option", "data-index": String(i) }, [
        el("strong", { text: p.name }), el("span", { className: "hint", text: " " + (p.active_ingredient || "") + " — " + units }),
      ]);
      if (p.prescription_only) item.appendChild(el("span", { className: "badge rx", text: T.rx }));
      item.addEventListener("click", function () { pickResult(i); });
      list.appendChild(item);
    });
    highlightResult();
    $("results-dialog").showModal();
  }

  function highlightResult() {
    Array.prototype.forEach.call($("results-list").children, function (item, i) {
      item.classList.toggle("selected", i === state.resultIndex);
      item.setAttribute("aria-selected", i === state.resultIndex ? "true" : "false");
      if (i === state.resultIndex) item.scrollIntoView({ block: "nearest" });
    });
  }

  function pickResult(i) {
    var product = state.results[i];
    $("results-dialog").close();
    addLine(product, product.base_unit, state.resultQuantity || 1, null).then(focusScan);
  }

  $("results-dialog").addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { state.resultIndex = Math.min(state.results.length - 1, state.resultIndex + 1); highlightResult(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { state.resultIndex = Math.max(0, state.resultIndex - 1); highlightResult(); event.preventDefault(); }
    else if (event.key === "Enter") { event.preventDefault(); pickResult(state.resultIndex); }
  });

  /* ---- ambiguous lot: pick a candidate (1..n) or type the lot printed on the pack ---- */
  function askLot(found, quantity) {
    state.pendingLot = { found: found, quantity: quantity };
    $("lot-hint").textContent = T.lot_pick;
    var list = $("lot-list");
    list.innerHTML = "";
    found.lot_candidates.forEach(function (c, i) {
      var text = (i + 1) + " · " + T.lot + " " + c.lot + (c.expiry ? " · " + T.exp + " " + formatDay(c.expiry) : "") + (c.serial ? " · SN " + c.serial : "");
      var item = el("li", { role: "option", text: text });
      item.addEventListener("click", function () { useLot(c.lot); });
      list.appendChild(item);
    });
    $("lot-input").value = "";
    $("lot-dialog").showModal();
    $("lot-input").focus();
  }

  function useLot(lot) {
    var pending = state.pendingLot;
    if (!lot) { $("lot-hint").textContent = T.lot_required; return; }
    $("lot-dialog").close();
    var known = pending.found.known_lots.some(function (k) { return k.lot === lot; });
    addLine(pending.found.product, pending.found.unit, pending.quantity, known ? lot : null).then(function () {
      if (!known) say(T.lot_not_in_stock.replace("%(lot)s", lot), "warn");
      focusScan();
    });
  }

  $("lot-dialog").addEventListener("keydown", function (event) {
    var n = parseInt(event.key, 10);
    var candidates = state.pendingLot ? state.pendingLot.found.lot_candidates : [];
    if (document.activeElement !== $("lot-input") || $("lot-input").value === "") {
      if (n >= 1 && n <= candidates.length) { event.preventDefault(); useLot(candidates[n - 1].lot); }
    }
  });
  $("lot-form").addEventListener("submit", function (event) { event.preventDefault(); useLot($("lot-input").value.trim()); });

  /* ---- prescription ---- */
  function openRx() {
    $("rx-error").textContent = "";
    $("rx-dialog").showModal();
    $("rx-code").focus();
  }

  $("rx-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = $("rx-code").value.trim();
    var manual = { doctor_name: $("rx-doctor").value.trim(), facility_name: $("rx-facility").value.trim(),
      patient_name: $("rx-patient").value.trim(), issued_on: $("rx-date").value };
    if (!(manual.doctor_name && manual.facility_name && manual.patient_name && manual.issued_on)) {
      $("rx-error").textContent = code ? T.rx_by_hand : T.rx_needed; return;  // a looked-up code fills the cart instead
    }
    state.prescription = code ? Object.assign({ national_code: code }, manual) : manual;
    $("rx-dialog").close();
    renderRx(); say(T.rx_saved, "ok"); focusScan();
  });

  /* ---- payment ---- */
  function method() { return document.querySelector('#pay-form input[name="method"]:checked').value; }

  function updateChange() {
    var total = state.preview ? state.preview.total : 0;
    var tendered = parseInt($("pay-tendered").value.replace(/\D/g, ""), 10);
    $("tendered-label").hidden = method() !== "cash";
    $("pay-change").textContent = formatMoney(method() === "cash" && tendered ? Math.max(tendered - total, 0) : 0);
  }

  function openPayment() {
    var preview = state.preview;
    if (!preview || !preview.lines.length) { say(T.empty_cart, "error"); return; }
    if (!preview.can_pay) { say(T.fix_lines, "error"); return; }
    if (preview.needs_prescription && !state.prescription) { say(T.rx_needed, "error"); openRx(); return; }
    $("pay-total").textContent = formatMoney(preview.total);
    $("pay-error").textContent = "";
    $("pay-tendered").value = "";
    updateChange();
    $("pay-dialog").showModal();
    $("pay-tendered").focus();
  }

  $("pay-form").addEventListener("input", updateChange);
  $("pay-dialog").addEventListener("keydown", function (event) {
    var methods = { "1": "cash", "2": "bank_transfer", "3": "card" };
    if (methods[event.key] && document.activeElement !== $("pay-tendered") && document.activeElement !== $("pay-customer")) {
      event.preventDefault();
      document.querySelector('#pay-form input[value="' + methods[event.key] + '"]').checked = true;
      updateChange();
    }
  });
  $("pay-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var tendered = parseInt($("pay-tendered").value.replace(/\D/g, ""), 10);
    var body = { store_id: storeId, lines: state.lines.map(function (l) {
      var line = { product_id: l.product_id, unit: l.unit, quantity: l.quantity };
      if (l.lot) line.lot = l.lot;
      if (l.prescription_line_id) line.prescription_line_id = l.prescription_line_id;
      if (l.substitution_reason) line.substitution_reason = l.substitution_reason;
      return line;
    }), payment_method: method(), customer_name: $("pay-customer").value.trim(), prescription: state.prescription };
    if (body.payment_method === "cash" && tendered) {
      if (tendered < state.preview.total) { $("pay-error").textContent = T.short; return; }
      body.amount_tendered = tendered;
    }
    $("pay-error").textContent = T.paying;
    apiCall("POST", "/api/v1/sales", body).then(function (r) {
      if (r.ok) { window.location.href = "/sales/" + r.body.id + "/receipt?from=counter"; return; }
      $("pay-error").textContent = errorText(r.body);
      refresh();
    });
  });

  /* ---- page-wide shortcuts ---- */
  document.addEventListener("keydown", function (event) {
    if (document.querySelector("dialog[open]")) return;
    var keys = {
      F2: focusScan, F3: function () { var q = document.querySelector('input.qty[data-line="' + state.selected + '"]'); if (q) { q.focus(); q.select(); } },
      F4: nextUnit, F7: openRx, F9: openPayment,
      F8: function () { state.lines = []; state.selected = -1; state.prescription = null; refresh(); say(T.cart_cleared); },
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("dialog"), function (dialog) {
    dialog.addEventListener("close", function () { if (!document.querySelector("dialog[open]")) focusScan(); });
  });
  $("pay-button").addEventListener("click", openPayment);
  window.counter = { state: state, refresh: refresh, say: say, focusScan: focusScan, renderRx: renderRx, T: T, storeId: storeId };
  focusScan();
})();
