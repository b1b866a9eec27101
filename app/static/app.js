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

  // Close the notification menu when clicking elsewhere.
  document.addEventListener("click", function (e) {
    var menu = document.getElementById("notification-menu");
    if (menu && !menu.hidden && !e.target.closest(".bell-wrap")) {
      var placeholder = document.createElement("div");
      placeholder.id = "notification-menu"; placeholder.hidden = true;
      menu.replaceWith(placeholder);
    }
  });

  // The "N new activities" pill: the server pushes the newest ids the member may see; count those
  // above the top of the list being read, instead of reshuffling it.
  function updatePill() {
    var pill = document.getElementById("feed-pill"), feed = document.getElementById("feed");
    if (!pill || !feed) return;
    var top = parseInt(feed.dataset.newest || "0", 10);
    var fresh = (pill.dataset.ids || "").split(",").filter(function (id) { return id && parseInt(id, 10) > top; });
    pill.hidden = fresh.length === 0;
    pill.textContent = fresh.length === 1 ? "1 new activity" : fresh.length + " new activities";
  }
  document.addEventListener("htmx:oobAfterSwap", updatePill);
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target.id === "feed") { updatePill(); window.scrollTo({ top: 0, behavior: "smooth" }); }
  });

  // Pull to refresh on narrow screens: pull down at the top of the feed to load what's new.
  var pullStart = null;
  document.addEventListener("touchstart", function (e) {
    pullStart = window.scrollY === 0 && document.getElementById("feed") ? e.touches[0].clientY : null;
  }, { passive: true });
  document.addEventListener("touchend", function (e) {
    if (pullStart !== null && e.changedTouches[0].clientY - pullStart > 80 && window.innerWidth < 800) {
      var pill = document.getElementById("feed-pill");
      if (pill && window.htmx) window.htmx.trigger(pill, "click");
    }
    pullStart = null;
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
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

// Project pages: drag-and-drop block order (SortableJS), Mermaid diagrams, cancel buttons.
(function () {
  function sortables(root) {
    if (typeof window.Sortable !== "function") return;
    (root || document).querySelectorAll(".block-list.sortable:not([data-sortable])").forEach(function (list) {
      list.dataset.sortable = "1";
      // SortableJS fires "end" on the list; htmx posts the hidden order inputs on it.
      new window.Sortable(list, { handle: ".drag-handle", animation: 150, draggable: "li.block" });
    });
  }

  var mermaidLoading = null;
  function loadMermaid() {
    var meta = document.querySelector('meta[name="mermaid-src"]');
    if (!meta) return null;
    if (!mermaidLoading) {
      mermaidLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = meta.content;
        script.onload = function () {
          // "strict": diagram text is escaped and click/script directives are ignored.
          window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
          resolve(window.mermaid);
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return mermaidLoading;
  }

  function diagrams(root) {
    var sources = (root || document).querySelectorAll("pre[data-mermaid]:not([data-rendered])");
    if (!sources.length) return;
    var loading = loadMermaid();
    if (!loading) return;
    loading.then(function (mermaid) {
      sources.forEach(function (pre, i) {
        pre.dataset.rendered = "1";
        var id = "diagram-" + Date.now() + "-" + i;
        mermaid.render(id, pre.textContent).then(function (result) {
          var figure = document.createElement("div");
          figure.className = "mermaid-diagram";
          figure.innerHTML = result.svg;
          pre.hidden = true;
          pre.after(figure);
        }).catch(function (err) {
          pre.dataset.error = "1";
          pre.title = "This diagram has a Mermaid syntax error: " + (err && err.message ? err.message : err);
          var stray = document.getElementById("d" + id);
          if (stray) stray.remove();
        });
      });
    });
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-remove]");
    if (button) {
      var target = document.querySelector(button.dataset.remove);
      if (target) target.remove();
    }
  });
  document.addEventListener("DOMContentLoaded", function () { sortables(); diagrams(); });
  window.addEventListener("load", function () { sortables(); });
  document.addEventListener("htmx:afterSettle", function () { sortables(); diagrams(); });
})();
