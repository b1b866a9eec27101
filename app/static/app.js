// Small behaviours the page needs beyond htmx. No third-party code here.
(function () {
  "use strict";

  // Toasts fade out after a few seconds.
  function expireToasts(root) {
    (root || document).querySelectorAll(".toast:not([data-expiring])").forEach(function (el) {
      el.setAttribute("data-expiring", "1");
      setTimeout(function () { el.remove(); }, 5000);
    });
  }

  // Preselect the browser's time zone on sign-up when the member has not chosen one.
  function detectTimeZone(root) {
    (root || document).querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
      if (select.dataset.detected) return;
      select.dataset.detected = "1";
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (select.value === "UTC" && zone && select.querySelector('option[value="' + zone + '"]')) {
        select.value = zone;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    expireToasts(); detectTimeZone();
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    expireToasts(); detectTimeZone(e.target);
  });
  document.addEventListener("htmx:oobAfterSwap", function () { expireToasts(); });
})();
