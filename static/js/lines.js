/* Document line rows shared by the goods receipt and transfer forms: a new row for a product with its units,
   field paths (`lines[i].name`) that match the API's error keys, and errors shown next to their fields. */

export function newLineRow(templateId, product, unitName) {
  const row = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
  row.dataset.productId = product.id;
  row.querySelector(".product").textContent = product.name;
  const select = row.querySelector("select");
  for (const u of product.units.slice().reverse()) {
    const option = new Option(`${u.name} (×${u.factor})`, u.name);
    option.selected = u.name === unitName;
    select.appendChild(option);
  }
  return row;
}

export function renumber(body) {
  Array.from(body.children).forEach((row, i) => {
    for (const input of row.querySelectorAll("[name]")) input.dataset.path = `lines[${i}].${input.name}`;
  });
}

export function clearFieldErrors(form) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll(".field-error")) slot.textContent = "";
}

/* Each error next to its field (`data-path`); the first field in error, or null. */
export function markFieldErrors(form, errors) {
  for (const [path, messages] of Object.entries(errors || {})) {
    const input = form.querySelector(`[data-path="${path}"]`);
    if (!input) continue;
    input.setAttribute("aria-invalid", "true");
    const slot = input.parentElement.querySelector(".field-error");
    if (slot) slot.textContent = [].concat(messages).join(" ");
    else input.title = [].concat(messages).join(" ");
  }
  return form.querySelector('[aria-invalid="true"]');
}
