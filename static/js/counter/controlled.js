/* A controlled drug on a paper prescription: in the prescription dialog (F7), each controlled cart line asks for the
   quantity the prescription gives, beside the form and the buyer's name, address and ID number. A refusal of the
   sale (beyond the prescription, buyer missing, store not approved for the class) is shown beside the field it
   names: in that dialog, or on the cart line (its quantity, its product), which then has the keyboard. */
import { fill } from "../format.js";
import { $, el, state, T } from "./state.js";

/* The boxes of the prescription dialog a server field names (lines[i].prescribed_quantity is found by its line). */
const RX_FIELDS = { "buyer.name": "rx-buyer-name", "buyer.address": "rx-buyer-address", "buyer.id_number": "rx-buyer-id",
  "prescription.form": "rx-form-kind", "prescription.national_code": "rx-code", prescription: "rx-doctor" };

export function controlledIndexes() {
  const lines = (state.preview && state.preview.lines) || [];
  return lines.map((line, i) => (line.control_class && line.control_class !== "none" ? i : -1)).filter((i) => i >= 0);
}

export function onPaper() {
  return Boolean(state.prescription && !state.prescription.national_code);
}

export function classLabel(line) {
  return fill(T.controlled_class, { class: T[`class_${line.control_class}`] || line.control_class });
}

/* A message under a box (one per box), cleared as soon as the box is edited. */
export function showFieldError(box, text) {
  const holder = box.closest("label") || box.parentElement;
  let note = holder.querySelector(`.field-error[data-for="${box.id || box.dataset.line}"]`);
  if (!note) {
    note = el("span", { className: "field-error", role: "alert", "data-for": box.id || box.dataset.line });
    holder.appendChild(note);
    box.addEventListener("input", () => note.remove(), { once: true });
    box.addEventListener("change", () => note.remove(), { once: true });
  }
  note.textContent = text;
  box.setAttribute("aria-invalid", "true");
}

function clearFieldErrors() {
  for (const note of document.querySelectorAll("#rx-dialog .field-error")) note.remove();
  for (const box of document.querySelectorAll("#rx-dialog [aria-invalid]")) box.removeAttribute("aria-invalid");
}

function prescribedRow(i) {
  const shown = state.preview.lines[i];
  const line = state.lines[i];
  const box = el("input", { className: "rx-prescribed", inputmode: "numeric", autocomplete: "off", "data-line": String(i),
    value: line.prescribed_quantity ? String(line.prescribed_quantity) : "" });
  const form = shown.prescription_form ? ` · ${fill(T.controlled_form, { form: shown.prescription_form })}` : "";
  const label = el("label", {}, [
    el("span", { text: `${shown.product_name} (${classLabel(shown)}${form}) — ${T.controlled_prescribed} ` }),
    box, el("span", { text: ` ${shown.unit}` })]);
  box.setAttribute("aria-label", `${T.controlled_prescribed}: ${shown.product_name}`);
  return label;
}

/* Called as the prescription dialog opens: the controlled lines of the cart, with what was typed before. */
export function renderPrescribed() {
  clearFieldErrors();
  const box = $("rx-controlled");
  const rows = $("rx-controlled-lines");
  rows.innerHTML = "";
  const indexes = controlledIndexes();
  for (const i of indexes) rows.appendChild(prescribedRow(i));
  box.hidden = !indexes.length || Boolean($("rx-code").value.trim());
  $("rx-buyer").classList.toggle("needed", indexes.length > 0);
}

/* On saving a paper prescription: each controlled line keeps the quantity typed (a whole number; empty or 0: none,
   the sale then asks for it). False when a box holds something else: that box has the keyboard and a message. */
export function takePrescribed() {
  if ($("rx-controlled").hidden) return true;
  for (const box of document.querySelectorAll("#rx-controlled-lines input.rx-prescribed")) {
    const line = state.lines[Number(box.dataset.line)];
    const typed = box.value.trim();
    if (typed && !/^\d+$/.test(typed)) {
      showFieldError(box, T.controlled_whole);
      box.focus();
      box.select();
      return false;
    }
    if (typed && Number(typed) > 0) line.prescribed_quantity = Number(typed);
    else delete line.prescribed_quantity;
  }
  return true;
}

function fieldMessages(body) {
  const errors = body.errors || {};
  return Object.keys(errors).map((field) => [field, [].concat(errors[field]).join(" ") || body.message]);
}

/* Where a refusal of a sale with a controlled drug goes: {rx: [[box, text]…]} for the prescription dialog, {line: i}
   for a cart line (the refusal kept on the line, shown until its quantity or unit changes), or null: not ours. */
export function placeRefusal(body) {
  if (!controlledIndexes().length && !body.control_class) return null;  // ordinary sales keep the dialog's message
  for (const wanted of state.lines) delete wanted.refusal;  // the latest answer replaces what an earlier one said
  const rx = [];
  let line = null;
  const einvoiceBox = (field) => $("pay-buyer") && $(`buyer-${field.slice(6)}`) && $(`buyer-${field.slice(6)}`).value.trim();
  for (const [field, text] of fieldMessages(body)) {
    const match = field.match(/^lines\[(\d+)\]\.(quantity|product_id|prescribed_quantity)$/);
    if (match && state.lines[Number(match[1])]) {
      const i = Number(match[1]);
      if (match[2] === "prescribed_quantity") {
        rx.push([`#rx-controlled-lines input[data-line="${i}"]`, text]);
      } else if (line === null) {
        state.lines[i].refusal = { field: match[2], text };
        line = i;
      }
    } else if (RX_FIELDS[field] && !(field.startsWith("buyer.") && einvoiceBox(field))) {
      rx.push([`#${RX_FIELDS[field]}`, text]);
    }
  }
  if (rx.length) return { rx };
  return line === null ? null : { line };
}

/* The prescription dialog is open: each refusal beside its box, the first box of the dialog with the keyboard. */
export function showInRx(places) {
  const boxes = [];
  for (const [selector, text] of places) {
    const box = document.querySelector(selector);
    if (!box) continue;
    showFieldError(box, text);
    boxes.push(box);
  }
  boxes.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  if (boxes.length) { boxes[0].focus(); if (boxes[0].select) boxes[0].select(); }
}

$("rx-code").addEventListener("input", () => {
  $("rx-controlled").hidden = !controlledIndexes().length || Boolean($("rx-code").value.trim());
});
