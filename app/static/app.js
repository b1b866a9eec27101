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

  // A celebration pushed over the WebSocket: confetti, then it bows out.
  function celebrate(root) {
    (root || document).querySelectorAll(".celebration:not([data-shown])").forEach(function (el) {
      el.setAttribute("data-shown", "1");
      if (typeof window.confetti === "function" && !matchMedia("(prefers-reduced-motion: reduce)").matches) {
        var big = el.dataset.confetti === "big";
        window.confetti({ particleCount: big ? 180 : 70, spread: big ? 100 : 60, origin: { y: 0.3 } });
      }
      setTimeout(function () { el.remove(); }, 6000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    expireToasts(); detectTimeZone();
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    expireToasts(); detectTimeZone(e.target);
  });
  document.addEventListener("htmx:oobAfterSwap", function () { expireToasts(); celebrate(); });
})();

// Leaderboards: draw each member's rank history with chart.js (served from node_modules); the
// table beside it stays for screen readers (and shows as is where charts cannot be drawn).
(function () {
  "use strict";

  function drawRankHistory(root) {
    if (typeof window.Chart !== "function") return;
    (root || document).querySelectorAll("canvas[data-rank-history]:not([data-drawn])").forEach(function (canvas) {
      canvas.setAttribute("data-drawn", "1");
      var data = JSON.parse(canvas.dataset.rankHistory);
      var figure = canvas.closest(".rank-history");
      if (figure) figure.classList.add("charted");
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: [{ label: "Global rank", data: data.ranks, borderColor: "#2f7d4f",
                                                   backgroundColor: "#2f7d4f", tension: 0.25, pointRadius: 2 }] },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false },
                     tooltip: { callbacks: { label: function (item) { return "#" + item.formattedValue; } } } },
          scales: { y: { reverse: true, ticks: { precision: 0, callback: function (v) { return "#" + v; } } } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawRankHistory(); });
  window.addEventListener("load", function () { drawRankHistory(); });
  document.addEventListener("htmx:afterSettle", function (e) { drawRankHistory(e.target); });
})();
