/* What the counter's modules share: the cart being built, the translated sentences, the status line. */

export const root = document.getElementById("counter");
export const storeId = Number(root.dataset.storeId);
export const T = JSON.parse(document.getElementById("counter-strings").textContent);
export const $ = (id) => document.getElementById(id);

/* lines: what the pharmacist asked for (product_id, unit, quantity, lot, prescription ties); preview: the server's
   answer for them (prices, lots, problems, total); prescription: the one recorded for this sale, if any. */
export const state = { lines: [], selected: -1, preview: null, prescription: null, customer: null, buyer: null };

const statusLine = $("scan-status");

export function say(text, kind) {
  statusLine.textContent = text || "";
  statusLine.className = `status${kind ? ` ${kind}` : ""}`;
}

export function statusText() {
  return statusLine.textContent;
}

export function focusScan() {
  const scan = $("scan");
  scan.focus();
  scan.select();
}

export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.appendChild(child);
  return node;
}
