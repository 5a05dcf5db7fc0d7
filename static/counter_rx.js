/* The counter's national prescription: Enter in the code box looks it up, shows what is prescribed, sold and left,
   and one more Enter fills the cart with the remaining quantities (each line tied to its prescribed line). */
"use strict";
(function () {
  var C = window.counter;
  if (!C) return;
  var T = C.T;
  var $ = function (id) { return document.getElementById(id); };
  var found = null;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function status(text, kind) {
    $("rx-lookup-status").textContent = text || "";
    $("rx-lookup-status").className = "status" + (kind ? " " + kind : "");
  }

  function fact(list, label, value) {
    if (!value) return;
    list.appendChild(el("dt", label));
    list.appendChild(el("dd", value));
  }

  function choices(line) {
    var options = [];
    if (line.product) options.push(line.product);
    line.candidates.forEach(function (p) { if (!line.product || p.id !== line.product.id) options.push(p); });
    return options;
  }

  function render(view) {
    var facts = $("rx-facts"), warnings = $("rx-warnings"), body = document.querySelector("#rx-lines tbody");
    facts.innerHTML = ""; warnings.innerHTML = ""; body.innerHTML = "";
    var p = view.patient;
    fact(facts, T.rx_patient, [p.name, p.birth_date && formatDay(p.birth_date), p.health_id, p.insurance_number].filter(Boolean).join(" · "));
    fact(facts, T.rx_doctor, view.doctor);
    fact(facts, T.rx_facility, view.facility);
    fact(facts, T.rx_diagnosis, view.diagnoses.map(function (d) { return d.code + " " + d.name; }).join("; "));
    var v = view.validity;
    fact(facts, T.rx_issued, v.issued_on && formatDay(v.issued_on) + (v.expires_on ? " · " + T.rx_valid_until + " " + formatDay(v.expires_on) : ""));
    fact(facts, T.rx_follow_up, view.follow_up_on && formatDay(view.follow_up_on));
    fact(facts, T.rx_advice, view.advice);
    view.warnings.forEach(function (w) {
      if (T["rx_" + w]) warnings.appendChild(el("li", T["rx_" + w], "warn " + w));
    });
    view.lines.forEach(function (line, i) {
      var row = el("tr");
      row.dataset.line = String(i);
      var name = el("td", line.name + (line.national_code ? " (" + line.national_code + ")" : ""));
      if (line.usage) name.appendChild(el("div", line.usage, "hint"));
      var give = el("td");
      var select = document.createElement("select");
      select.className = "rx-product";
      select.setAttribute("aria-label", T.rx_confirm);
      var options = choices(line);
      if (!line.product) select.appendChild(new Option(options.length ? T.rx_confirm : T.rx_no_product, ""));
      options.forEach(function (p) { select.appendChild(new Option(p.name + (p.national_code ? " · " + p.national_code : ""), String(p.id))); });
      select.appendChild(new Option("— " + T.rx_skip, "skip"));
      if (line.product && line.remaining) select.value = String(line.product.id);
      else select.value = line.remaining ? "" : "skip";
      var reason = el("input", undefined, "rx-reason");
      reason.placeholder = T.rx_reason;
      reason.hidden = true;
      select.addEventListener("change", function () { reason.hidden = !isSubstitution(line, picked(line, select)); });
      give.appendChild(select); give.appendChild(reason);
      [name, el("td", line.prescribed + " " + line.unit, "num"), el("td", String(line.sold), "num"),
        el("td", String(line.remaining), "num"), give].forEach(function (cell) { row.appendChild(cell); });
      body.appendChild(row);
    });
    $("rx-result").hidden = false;
  }

  function picked(line, select) {
    return choices(line).filter(function (p) { return String(p.id) === select.value; })[0] || null;
  }

  function isSubstitution(line, product) {
    return Boolean(product && line.national_code && product.national_code !== line.national_code);
  }

  function lookup() {
    var code = $("rx-code").value.trim();
    if (!code) return;
    status(T.rx_looking);
    $("rx-result").hidden = true; found = null;
    var url = "/api/v1/prescriptions/national/" + encodeURIComponent(code) + "?store_id=" + C.storeId;
    apiCall("GET", url).then(function (r) {
      if (!r.ok) {
        status(r.body.offline ? T.rx_offline : errorText(r.body), "error");
        if (r.body.offline) $("rx-doctor").focus();
        return;
      }
      found = r.body;
      status("");
      render(found);
      $("rx-fill").focus();
    });
  }

  function fill() {
    if (!found) return;
    var lines = [], problem = null;
    found.lines.forEach(function (line, i) {
      var row = document.querySelector('#rx-lines tr[data-line="' + i + '"]');
      var select = row.querySelector(".rx-product"), reason = row.querySelector(".rx-reason").value.trim();
      var product = picked(line, select);
      if (!product || !line.remaining) return;
      if (isSubstitution(line, product) && !reason) { problem = T.rx_reason_needed; row.querySelector(".rx-reason").focus(); return; }
      var cartUnit = line.cart && line.cart.product_id === product.id ? line.cart.unit : (product.unit || line.unit);
      var entry = { product_id: product.id, unit: cartUnit, quantity: line.remaining, lot: null, prescription_line_id: line.id };
      if (isSubstitution(line, product)) entry.substitution_reason = reason;
      lines.push(entry);
    });
    if (problem) { status(problem, "error"); return; }
    if (!lines.length) { status(T.rx_nothing, "error"); return; }
    var state = C.state;
    state.lines = state.lines.filter(function (l) { return !l.prescription_line_id; }).concat(lines);
    state.selected = state.lines.length - 1;
    state.prescription = { national_code: found.code };
    $("rx-dialog").close();
    C.refresh().then(function () { C.say(T.rx_filled + " " + found.code, "ok"); C.focusScan(); });
  }

  $("rx-code").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && $("rx-code").value.trim()) { event.preventDefault(); lookup(); }
  });
  $("rx-fill").addEventListener("click", fill);
  $("rx-fill").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); fill(); }
  });
})();
