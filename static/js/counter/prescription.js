/* The prescription (F7): Enter in the code box looks a national code up and shows what is prescribed, sold and
   left; one more Enter fills the cart with the remaining quantities (each line tied to its prescribed line). A
   paper prescription, or one typed by hand while the system is unreachable, is recorded from the fields below. */
import { apiCall, errorText } from "../api.js";
import { formatDay } from "../format.js";
import { refresh, render as renderCart } from "./cart.js";
import { renderPrescribed, takePrescribed } from "./controlled.js";
import { $, el, focusScan, say, state, storeId, T } from "./state.js";

let found = null;

export function openRx() {
  $("rx-error").textContent = "";
  renderPrescribed();
  $("rx-dialog").showModal();
  $("rx-code").focus();
}

function status(text, kind) {
  $("rx-lookup-status").textContent = text || "";
  $("rx-lookup-status").className = `status${kind ? ` ${kind}` : ""}`;
}

function fact(list, label, value) {
  if (!value) return;
  list.appendChild(el("dt", { text: label }));
  list.appendChild(el("dd", { text: value }));
}

function choices(line) {
  const options = line.product ? [line.product] : [];
  for (const p of line.candidates) if (!line.product || p.id !== line.product.id) options.push(p);
  return options;
}

function picked(line, select) {
  return choices(line).find((p) => String(p.id) === select.value) || null;
}

/* The server says whether a product is a substitution for the prescribed line (it then needs a reason). */
function isSubstitution(product) {
  return Boolean(product && product.substitution);
}

function lineRow(line, i) {
  const row = el("tr", { "data-line": String(i) });
  const name = el("td", { text: line.name + (line.national_code ? ` (${line.national_code})` : "") });
  if (line.usage) name.appendChild(el("div", { className: "hint", text: line.usage }));
  const select = el("select", { className: "rx-product", "aria-label": T.rx_confirm });
  const options = choices(line);
  if (!line.product) select.appendChild(new Option(options.length ? T.rx_confirm : T.rx_no_product, ""));
  for (const p of options) select.appendChild(new Option(p.name + (p.national_code ? ` · ${p.national_code}` : ""), String(p.id)));
  select.appendChild(new Option(`— ${T.rx_skip}`, "skip"));
  if (line.product && line.remaining) select.value = String(line.product.id);
  else select.value = line.remaining ? "" : "skip";
  const reason = el("input", { className: "rx-reason", placeholder: T.rx_reason, "aria-label": T.rx_reason });
  reason.hidden = true;
  select.addEventListener("change", () => { reason.hidden = !isSubstitution(picked(line, select)); });
  const give = el("td", {}, [select, reason]);
  for (const cell of [name, el("td", { className: "num", text: `${line.prescribed} ${line.unit}` }),
    el("td", { className: "num", text: String(line.sold) }), el("td", { className: "num", text: String(line.remaining) }), give]) {
    row.appendChild(cell);
  }
  return row;
}

function render(view) {
  const facts = $("rx-facts");
  const warnings = $("rx-warnings");
  const body = document.querySelector("#rx-lines tbody");
  facts.innerHTML = "";
  warnings.innerHTML = "";
  body.innerHTML = "";
  const p = view.patient || {};
  fact(facts, T.rx_patient, [p.name, formatDay(p.birth_date), p.health_id, p.insurance_number].filter(Boolean).join(" · "));
  fact(facts, T.rx_doctor, view.doctor);
  fact(facts, T.rx_facility, view.facility);
  fact(facts, T.rx_diagnosis, (view.diagnoses || []).map((d) => `${d.code} ${d.name}`).join("; "));
  const v = view.validity || {};
  const issued = formatDay(v.issued_on);
  const until = formatDay(v.expires_on);
  fact(facts, T.rx_issued, issued && issued + (until ? ` · ${T.rx_valid_until} ${until}` : ""));
  fact(facts, T.rx_follow_up, formatDay(view.follow_up_on));
  fact(facts, T.rx_advice, view.advice);
  for (const w of view.warnings || []) {
    if (T[`rx_${w}`]) warnings.appendChild(el("li", { className: `warn ${w}`, text: T[`rx_${w}`] }));
  }
  view.lines.forEach((line, i) => body.appendChild(lineRow(line, i)));
  $("rx-result").hidden = false;
}

async function lookup() {
  const code = $("rx-code").value.trim();
  if (!code) return;
  status(T.rx_looking);
  $("rx-result").hidden = true;
  found = null;
  const r = await apiCall("GET", `/api/v1/prescriptions/national/${encodeURIComponent(code)}?store_id=${storeId}`);
  if (!r.ok) {
    status(r.body.offline ? T.rx_offline : errorText(r.body), "error");
    if (r.body.offline) $("rx-doctor").focus();
    return;
  }
  found = r.body;
  status("");
  render(found);
  $("rx-fill").focus();
}

async function fillCart() {
  if (!found) return;
  const lines = [];
  let problem = null;
  found.lines.forEach((line, i) => {
    const row = document.querySelector(`#rx-lines tr[data-line="${i}"]`);
    const reasonBox = row.querySelector(".rx-reason");
    const reason = reasonBox.value.trim();
    const product = picked(line, row.querySelector(".rx-product"));
    if (!product || !line.remaining || problem) return;
    if (isSubstitution(product) && !reason) { problem = T.rx_reason_needed; reasonBox.hidden = false; reasonBox.focus(); return; }
    const cartUnit = line.cart && line.cart.product_id === product.id ? line.cart.unit : (product.unit || line.unit);
    const entry = { product_id: product.id, unit: cartUnit, quantity: line.remaining, lot: null, prescription_line_id: line.id };
    if (isSubstitution(product)) entry.substitution_reason = reason;
    lines.push(entry);
  });
  if (problem) { status(problem, "error"); return; }
  if (!lines.length) { status(T.rx_nothing, "error"); return; }
  state.lines = state.lines.filter((l) => !l.prescription_line_id).concat(lines);
  state.selected = state.lines.length - 1;
  state.prescription = { national_code: found.code };
  state.buyer = buyerFromForm();
  $("rx-dialog").close();
  await refresh();
  say(`${T.rx_filled} ${found.code}`, "ok");
  focusScan();
}

$("rx-code").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && $("rx-code").value.trim()) { event.preventDefault(); lookup(); }
});
$("rx-fill").addEventListener("click", fillCart);
$("rx-fill").addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); fillCart(); }
});

/* A controlled drug's buyer (name, address, ID number), sent with the sale when any field is filled. */
function buyerFromForm() {
  const buyer = { name: $("rx-buyer-name").value.trim(), address: $("rx-buyer-address").value.trim(),
    id_number: $("rx-buyer-id").value.trim() };
  return buyer.name || buyer.address || buyer.id_number ? buyer : null;
}

$("rx-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("rx-code").value.trim();
  const manual = { doctor_name: $("rx-doctor").value.trim(), facility_name: $("rx-facility").value.trim(),
    patient_name: $("rx-patient").value.trim(), issued_on: $("rx-date").value };
  const looked = state.prescription && !state.prescription.doctor_name && state.prescription.national_code;
  const typed = manual.doctor_name || manual.facility_name || manual.patient_name;
  if (code && looked && looked.toLowerCase() === code.toLowerCase() && !typed) {
    state.buyer = buyerFromForm();  // the e-prescription already filled the cart: Enter saves the buyer typed since
    $("rx-dialog").close();
    say(T.rx_saved, "ok");
    return;
  }
  if (!(manual.doctor_name && manual.facility_name && manual.patient_name && manual.issued_on)) {
    $("rx-error").textContent = code ? T.rx_by_hand : T.rx_needed;  // a looked-up code fills the cart instead
    return;
  }
  if (!takePrescribed()) return;
  manual.form = $("rx-form-kind").value;
  state.prescription = code ? { national_code: code, ...manual } : manual;
  state.buyer = buyerFromForm();
  $("rx-dialog").close();
  renderCart();
  say(T.rx_saved, "ok");
  focusScan();
});
/* Enter on the form's list saves too, like every box of the dialog (a select does not submit by itself). */
$("rx-form-kind").addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); $("rx-form").requestSubmit(); }
});
