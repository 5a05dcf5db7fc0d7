/* Shared page helpers: Alt+1..5 navigation, JSON calls to the API with the session cookie and CSRF token. */
"use strict";
(function () {
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var link = document.querySelector('[data-nav="' + event.key + '"]');
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* fetch JSON; resolves to {ok, status, body} and never throws on HTTP errors. */
  window.apiCall = function (method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(body);
    } else if (method !== "GET") {
      options.headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, status: response.status, body: data };
      });
    }, function () {
      return { ok: false, status: 0, body: { message: "Network error / Lỗi mạng" } };
    });
  };

  /* One line per error: the message, then each field path with its messages. */
  window.errorText = function (body) {
    var parts = [body.message || ""];
    var errors = body.errors || {};
    Object.keys(errors).forEach(function (path) {
      var text = errors[path].join(" ");
      if (text !== body.message) parts.push(path + ": " + text);
    });
    return parts.filter(Boolean).join(" — ");
  };

  window.formatMoney = function (amount) {
    return (amount || 0).toLocaleString("vi-VN") + "\u00a0₫";
  };

  window.formatDay = function (iso) {
    if (!iso) return "";
    var p = iso.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  };
})();
