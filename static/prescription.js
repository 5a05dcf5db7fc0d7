/* A prescription's page: "Look up again" asks the e-prescription system and reloads with what it says. */
"use strict";
(function () {
  var button = document.getElementById("rx-recheck");
  if (!button) return;
  button.addEventListener("click", function () {
    var status = document.getElementById("rx-recheck-status");
    button.disabled = true;
    apiCall("POST", button.dataset.url).then(function (r) {
      if (r.ok) { window.location.reload(); return; }
      status.textContent = errorText(r.body);
      button.disabled = false;
    });
  });
})();
