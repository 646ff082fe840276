/* tourgraph serve --reload: reload this page when a new build is served; while the project's last
   change does not validate, show why (the messages of `tourgraph validate`) over the last good build. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = Number(script && script.dataset.version);
  var lang = document.documentElement.lang || "";
  // The page that says why no build passed yet shows the report itself: it is loaded again once anything changes.
  var failedPage = !!document.getElementById("tourgraph-preview-failed");
  var shown = Number(script && script.dataset.state);
  var state = failedPage ? shown : -1;
  var panel = null;

  function show(outcome) {
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "tourgraph-reload";
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#fff8e1;color:#1a1a1a;border-top:4px solid #b3261e;" +
        "font:15px/1.45 system-ui,sans-serif;box-shadow:0 -2px 12px rgba(0,0,0,.25)";
      var heading = document.createElement("h2");
      heading.style.cssText = "margin:0 0 .5rem;font-size:1.05rem";
      var report = document.createElement("pre");
      report.style.cssText = "margin:0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace";
      panel.appendChild(heading);
      panel.appendChild(report);
      document.body.appendChild(panel);
    }
    panel.querySelector("h2").textContent = outcome.heading;
    panel.querySelector("pre").textContent = outcome.report;
  }

  function hide() {
    if (panel) {
      panel.remove();
      panel = null;
    }
  }

  function poll() {
    fetch("/_tourgraph/reload?since=" + state + "&lang=" + encodeURIComponent(lang), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (outcome) {
        state = outcome.state;
        if (outcome.version !== version || (failedPage && outcome.state !== shown)) {
          location.reload();
          return;
        }
        if (failedPage) { /* nothing new yet */ } else if (outcome.ok) { hide(); } else { show(outcome); }
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }

  poll();
})();
