// Keyboard actions for the review UI: plain JS, no build step, no inline scripts (CSP).
// Every action is an ordinary link or form on the page; keys only click or submit them,
// so the pages work the same without JavaScript.
(function () {
  "use strict";
  var busy = false; // one action per page: a second key press must not submit twice

  function $(sel) { return document.querySelector(sel); }
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  function submit(form) {
    if (!form || busy) return;
    busy = true;
    document.body.classList.add("busy");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }
  function go(link) {
    if (!link || busy) return;
    busy = true;
    window.location.href = link.getAttribute("href");
  }
  function toggleHelp(show) {
    var help = $("#help");
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  // ---- queue: a selection that j/k move, x toggles, o/Enter opens
  var rows = [];
  var current = -1;
  function select(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) rows[current].classList.remove("selected");
    current = i;
    rows[i].classList.add("selected");
    rows[i].scrollIntoView({block: "nearest"});
  }

  function fillCounts(counts) {
    ["kind", "region", "year", "flag", "confidence", "corroborated"].forEach(function (facet) {
      var select = $("#filter-" + facet);
      if (!select || !counts[facet]) return;
      var current = select.value;
      while (select.options.length > 1) select.remove(1);
      var found = false;
      counts[facet].forEach(function (o) {
        var option = document.createElement("option");  // textContent: labels stay text
        option.value = String(o.value);
        option.textContent = o.label + " (" + o.count + ")";
        if (option.value === current) { option.selected = true; found = true; }
        select.appendChild(option);
      });
      if (current && !found) {
        var keep = document.createElement("option");
        keep.value = current; keep.textContent = current + " (0)"; keep.selected = true;
        select.appendChild(keep);
      }
    });
    var pending = $("#counts-pending") || $("#counts-stale");
    if (pending) pending.hidden = true;
    $("#filters").setAttribute("data-counts", "loaded");
  }

  var pendingG = false;
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var key = ev.key;
    if (key === "Escape") {
      toggleHelp(false);
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return; // Enter in a field submits its own form natively
    if (key === "?") { toggleHelp(); ev.preventDefault(); return; }
    if (pendingG) {
      pendingG = false;
      if (key === "q") { go($("#nav-queue")); ev.preventDefault(); }
      return;
    }
    if (key === "g") { pendingG = true; return; }

    var card = document.body.classList.contains("rule-card");
    if (card) {
      if (key === "a") { submit($("#approve-form")); }
      else if (key === "r") {
        var reason = $("#reject-reason");
        if (reason) { reason.focus(); }
      } else if (key === "e") {
        var details = $("#correct");
        if (details) {
          details.open = true;
          var first = details.querySelector("input[name^='param.']") || details.querySelector("input:not([type=hidden])");
          if (first) { first.focus(); first.select(); }
        }
      } else if (key === "s" || key === "j") { go($("#next-link")); }
      else if (key === "k") { go($("#prev-link")); }
      else if (key === "u") { submit($("#undo-form")); }
      else { return; }
      ev.preventDefault();
      return;
    }
    if (document.body.classList.contains("queue")) {
      if (key === "j") select(current + 1);
      else if (key === "k") select(current - 1);
      else if (key === "x" && current >= 0) {
        var box = rows[current].querySelector("input[type=checkbox]");
        box.checked = !box.checked;
      } else if ((key === "o" || key === "Enter") && current >= 0) {
        go(rows[current].querySelector("a.open"));
      } else if (key === "u") { submit($("#undo-form")); }
      else { return; }
      ev.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    rows = Array.prototype.slice.call(document.querySelectorAll("#queue-table tbody tr"));
    if (rows.length) select(0);
    var helpButton = $("#help-toggle");
    if (helpButton) helpButton.addEventListener("click", function () { toggleHelp(); });
    var clean = $("#select-clean");
    if (clean) clean.addEventListener("click", function () {
      rows.forEach(function (row) {
        row.querySelector("input[type=checkbox]").checked = row.getAttribute("data-clean") === "yes";
      });
    });
    var none = $("#select-none");
    if (none) none.addEventListener("click", function () {
      rows.forEach(function (row) { row.querySelector("input[type=checkbox]").checked = false; });
    });
    // facet counts the server had not counted yet: fetch them and put them beside the choices
    var filters = $("#filters");
    if (filters && filters.getAttribute("data-counts-url")) {
      fetch(filters.getAttribute("data-counts-url"), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (counts) { if (counts) fillCounts(counts); });
    }
    // filters apply as soon as a select changes
    document.querySelectorAll("#filters select").forEach(function (sel) {
      sel.addEventListener("change", function () { sel.form.submit(); });
    });
    // show the evidence: scroll the notice text so the highlight is in view
    var mark = $("#evidence-start");
    var box = $("#notice-text");
    if (mark && box) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 80);
    // forms guard against double submission too (mouse users)
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      form.addEventListener("submit", function () { busy = true; });
    });
  });
})();
