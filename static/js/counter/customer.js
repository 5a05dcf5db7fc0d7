/* The customer (F10): type a phone, Enter → the customer with that phone is attached to the sale; an unknown
   phone asks for the name and creates the customer (the server normalises +84 / 84 / 0, spaces and dots). */
import { apiCall, errorText } from "../api.js";
import { $, say, state, T } from "./state.js";

const dialog = $("customer-dialog");
const phoneBox = $("customer-phone");
const nameBox = $("customer-name");
const nameRow = $("customer-name-row");
const message = $("customer-error");

export function openCustomer() {
  phoneBox.value = state.customer ? state.customer.phone : "";
  nameBox.value = "";
  nameRow.hidden = true;
  message.textContent = "";
  dialog.showModal();
  phoneBox.focus();
  phoneBox.select();
}

function attach(customer) {
  state.customer = customer;
  const shown = $("customer-state");
  shown.hidden = false;
  shown.textContent = `${T.customer}: ${customer.name} · ${customer.phone}`
    + (customer.allergies ? ` · ${T.allergies}: ${customer.allergies}` : "");
  say(`${T.customer}: ${customer.name}`);
  dialog.close();
}

async function lookUp() {
  message.textContent = "";
  const phone = phoneBox.value.trim();
  if (!phone) { state.customer = null; $("customer-state").hidden = true; dialog.close(); return; }
  const r = await apiCall("GET", `/api/v1/customers?phone=${encodeURIComponent(phone)}`);
  if (!r.ok) { message.textContent = errorText(r.body); return; }
  if (r.body.items.length) { attach(r.body.items[0]); return; }
  message.textContent = T.customer_new;
  nameRow.hidden = false;
  nameBox.focus();
}

async function create() {
  const r = await apiCall("POST", "/api/v1/customers", { phone: phoneBox.value.trim(), name: nameBox.value.trim() });
  if (r.ok) attach(r.body);
  else message.textContent = errorText(r.body);
}

$("customer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (document.activeElement === nameBox && !nameRow.hidden) create();
  else lookUp();
});
