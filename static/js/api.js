/* JSON calls to the API with the session cookie and the CSRF token; answers never throw on HTTP errors. */

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function pageStrings() {
  const node = document.getElementById("page-strings");
  return node ? JSON.parse(node.textContent) : {};
}

/* fetch JSON; resolves to {ok, status, body}. `headers` adds request headers (e.g. Idempotency-Key). */
export async function apiCall(method, url, body, headers = {}) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    return { ok: false, status: 0, body: { message: pageStrings().network_error || "" } };
  }
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body: data };
}

/* One line per error: the message, then each field's messages that say something more. */
export function errorText(body) {
  const parts = [body.message || ""];
  for (const messages of Object.values(body.errors || {})) {
    const text = [].concat(messages).join(" ");
    if (text !== body.message) parts.push(text);
  }
  return parts.filter(Boolean).join(" — ");
}

/* A random UUID (v4): crypto.randomUUID needs a secure context, which a shop's LAN address is not. */
export function newKey() {
  if (window.crypto && crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
