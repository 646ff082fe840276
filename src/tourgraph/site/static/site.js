/* tourgraph site: search over the static index, and an interactive map on request. Everything works
   without this script; nothing is loaded from another site until the visitor asks for the map tiles. */
(function () {
  "use strict";
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function key(word) {
    var first = fold(word).charAt(0);
    return /^[a-z0-9]$/.test(first) ? first : "_";
  }
  var results = document.getElementById("search-results");
  if (results) {
    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    var input = document.getElementById("search-q");
    if (input) { input.value = query; }
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (words.length) {
      var root = results.getAttribute("data-index") + results.getAttribute("data-lang") + "/";
      fetch(root + key(words[0]) + ".json").then(function (r) { return r.ok ? r.json() : []; }).then(function (rows) {
        var found = rows.filter(function (row) {
          var label = fold(row[0]);
          return words.every(function (w) { return label.indexOf(w) !== -1; });
        }).slice(0, 200);
        results.textContent = "";
        var summary = document.createElement("p");
        summary.textContent = found.length ? results.getAttribute("data-count").replace("{n}", found.length) : results.getAttribute("data-none");
        results.appendChild(summary);
        var list = document.createElement("ol");
        var prefix = results.getAttribute("data-index").replace(/search\/$/, "");
        found.forEach(function (row) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = prefix + row[1];
          link.textContent = row[0];
          item.appendChild(link);
          list.appendChild(item);
        });
        results.appendChild(list);
      }).catch(function () { results.textContent = results.getAttribute("data-none"); });
    }
  }
  var figure = document.querySelector("figure.map[data-points]");
  var script = document.querySelector('script[src$="static/site.js"]');
  if (figure && script && window.fetch) {
    var base = script.getAttribute("src").replace(/site\.js$/, "vendor/leaflet/");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "map-button";
    button.textContent = document.documentElement.lang === "fr" ? "Carte interactive (tuiles OpenStreetMap)" : "Interactive map (OpenStreetMap tiles)";
    figure.parentNode.insertBefore(button, figure.nextSibling);
    button.addEventListener("click", function () {
      button.disabled = true;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "leaflet.css";
      document.head.appendChild(css);
      var lib = document.createElement("script");
      lib.src = base + "leaflet.js";
      lib.onload = function () {
        var points = JSON.parse(figure.getAttribute("data-points"));
        var box = document.createElement("div");
        box.className = "interactive";
        button.parentNode.insertBefore(box, button.nextSibling);
        button.remove();
        var map = window.L.map(box);
        window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
          maxZoom: 19,
          attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
        }).addTo(map);
        var bounds = [];
        points.forEach(function (p) {
          var marker = window.L.circleMarker([p.lat, p.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
          marker.bindTooltip(p.n + ". " + p.label);
          bounds.push([p.lat, p.lon]);
        });
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
      };
      document.head.appendChild(lib);
    });
  }
})();
