(function () {
  "use strict";
  // Sorting and filtering of the server-rendered tables; the page reads without it.
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.data"));
  var box = document.getElementById("filter");
  var chips = Array.prototype.slice.call(document.querySelectorAll("input[data-sev]"));
  var state = { q: "", off: {} };
  var index = tables.map(function (t) {
    return Array.prototype.map.call(t.tBodies[0].rows, function (r) {
      return { row: r, text: r.textContent.toLowerCase(), sev: r.getAttribute("data-sev") };
    });
  });

  function apply() {
    tables.forEach(function (t, i) {
      var shown = 0;
      index[i].forEach(function (e) {
        var ok = !(e.sev && state.off[e.sev]) && (!state.q || e.text.indexOf(state.q) >= 0);
        e.row.hidden = !ok;
        if (ok) shown++;
      });
      t.setAttribute("data-shown", String(shown));
      var c = document.getElementById(t.id + "-count");
      if (c) c.textContent = shown === index[i].length ? String(shown) : shown + " of " + index[i].length;
    });
  }

  function saveHash() {
    var parts = [];
    if (state.q) parts.push("q=" + encodeURIComponent(state.q));
    var off = Object.keys(state.off).filter(function (k) { return state.off[k]; });
    if (off.length) parts.push("hide=" + off.join(","));
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }

  function readHash() {
    location.hash.replace(/^#/, "").split("&").forEach(function (p) {
      var kv = p.split("=");
      var v = decodeURIComponent(kv.slice(1).join("=") || "");
      if (kv[0] === "q") state.q = v.toLowerCase();
      if (kv[0] === "hide") v.split(",").forEach(function (s) { if (s) state.off[s.toUpperCase()] = true; });
    });
    if (box) box.value = state.q;
    chips.forEach(function (c) { c.checked = !state.off[c.getAttribute("data-sev")]; });
  }

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    var s = cell.getAttribute("data-sort");
    return s === null ? cell.textContent : s;
  }
  function sortBy(t, i, th) {
    var col = th.cellIndex;
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    if (!th.hasAttribute("aria-sort") && th.textContent !== "Severity" && th.textContent !== "CVSS") dir = 1;
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    var rows = index[i].map(function (e) { return e.row; });
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col);
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = !isNaN(nx) && !isNaN(ny) && String(nx) === x.trim() && String(ny) === y.trim() ? nx - ny : collator.compare(x, y);
      return c * dir;
    });
    var body = t.tBodies[0];
    rows.forEach(function (r) { body.appendChild(r); });
  }

  tables.forEach(function (t, i) {
    Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th) {
      th.title = "Sort";
      th.addEventListener("click", function () { sortBy(t, i, th); });
    });
  });
  if (box) box.addEventListener("input", function () { state.q = box.value.trim().toLowerCase(); apply(); saveHash(); });
  chips.forEach(function (c) {
    c.addEventListener("change", function () { state.off[c.getAttribute("data-sev")] = !c.checked; apply(); saveHash(); });
  });
  window.addEventListener("hashchange", function () { state = { q: "", off: {} }; readHash(); apply(); });
  readHash();
  apply();
  document.documentElement.setAttribute("data-ready", "true");
})();
