
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Filters: each finding row carries data-severity, data-category, data-code and
     data-file; a select with the same name keeps the rows whose attribute matches. */
  var form = document.getElementById("filters");
  var list = document.getElementById("findings-list");
  var showAll = null;
  if (form && list) {
    var rows = Array.prototype.slice.call(list.tBodies[0].rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var status = document.getElementById("filter-status");
    var empty = document.getElementById("filter-empty");
    var apply = function () {
      var wanted = selects.filter(function (s) { return s.value !== ""; });
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var keep = true;
        for (var j = 0; j < wanted.length; j++) {
          if (row.getAttribute("data-" + wanted[j].name) !== wanted[j].value) { keep = false; break; }
        }
        if (row.hidden === keep) { row.hidden = !keep; }
        if (keep) { shown++; }
      }
      status.textContent = shown === rows.length
        ? "Showing all " + rows.length + " findings."
        : "Showing " + shown + " of " + rows.length + " findings.";
      empty.hidden = shown !== 0;
    };
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
    showAll = function () {
      for (var i = 0; i < selects.length; i++) { selects[i].value = ""; }
      apply();
    };
  }

  /* Links within the page ("Start here", "What changed", notes): a finding the filters hide
     is shown (all are) before the page moves to it, and a flagged cell reached from "Start
     here" or "What changed" takes the focus, so its findings show and the keyboard goes on
     from there. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    if (showAll && target.hidden && target.parentElement && list.contains(target)) { showAll(); }
    if (link.closest("#start, #changes") && target.matches(".has-tip[tabindex]")) {
      window.requestAnimationFrame(function () { target.focus({ preventScroll: true }); });
    }
  });

  /* Side by side: optionally hide the rows only one language version has. */
  var pairOptions = document.getElementById("pair-options");
  var hideAlone = document.getElementById("hide-alone");
  var pairs = document.getElementById("translations");
  if (pairOptions && hideAlone && pairs) {
    hideAlone.addEventListener("change", function () {
      pairs.classList.toggle("hide-alone", hideAlone.checked);
    });
    pairOptions.addEventListener("submit", function (event) { event.preventDefault(); });
    pairs.classList.toggle("hide-alone", hideAlone.checked);
    pairOptions.hidden = false;
  }

  /* Tooltips: CSS shows them on hover and focus; here they are placed in the window
     (fixed position, so a table's scroll box cannot clip them) and Escape hides them. */
  var current = null;
  var place = function (cell) {
    var tip = cell.querySelector(":scope > .tip");
    if (!tip) { return; }
    var box = cell.getBoundingClientRect();
    var frame = {left: 0, right: document.documentElement.clientWidth, bottom: window.innerHeight};
    // A long section is laid out lazily (content-visibility), which makes it the frame of
    // fixed elements and clips them: measure from its origin and keep the tip inside it.
    var lazy = cell.closest(".lazy");
    if (lazy) {
      var bounds = lazy.getBoundingClientRect();
      frame.left = Math.max(frame.left, bounds.left);
      frame.right = Math.min(frame.right, bounds.right);
      frame.bottom = Math.min(frame.bottom, bounds.bottom);
    }
    tip.style.left = "0px";
    tip.style.top = "0px";
    var origin = tip.getBoundingClientRect();
    var left = Math.max(frame.left + 4, Math.min(box.left, frame.right - origin.width - 4));
    var top = box.bottom + 2;
    if (top + origin.height > frame.bottom - 4 && box.top - origin.height - 2 > 4) {
      top = box.top - origin.height - 2;
    }
    tip.style.left = (left - origin.left) + "px";
    tip.style.top = (top - origin.top) + "px";
  };
  /* A tooltip holds a short message; when it opens, the full message and evidence are
     copied from the finding's row in the list (nodes cloned, never HTML parsed), so the
     page carries them once. */
  var fill = function (cell) {
    var items = cell.querySelectorAll(":scope > .tip > .tip-item[data-f]");
    for (var i = 0; i < items.length; i++) {
      var source = document.getElementById(items[i].getAttribute("data-f"));
      var short = items[i].querySelector(".msg");
      items[i].removeAttribute("data-f");
      if (!source || !short) { continue; }
      var full = document.createElement("div");
      full.className = "msg";
      for (var node = source.firstChild; node; node = node.nextSibling) {
        full.appendChild(node.cloneNode(true));
      }
      items[i].replaceChild(full, short);
    }
  };
  var open = function (cell) {
    if (current && current !== cell) { close(current); }
    current = cell;
    cell.classList.add("open");
    fill(cell);
    place(cell);
    // Focus may scroll the cell into view, and a table far down the page is laid out only
    // then (content-visibility): place the tip again once that frame is ready.
    window.requestAnimationFrame(function () { if (current === cell) { place(cell); } });
  };
  var close = function (cell) {
    cell.classList.remove("open", "tip-off");
    if (current === cell) { current = null; }
  };
  document.addEventListener("mouseover", function (event) {
    var cell = event.target.closest && event.target.closest(".has-tip");
    if (cell && cell !== current) { open(cell); }
  });
  document.addEventListener("mouseout", function (event) {
    var cell = event.target.closest && event.target.closest(".has-tip");
    if (!cell || cell.contains(event.relatedTarget)) { return; }
    if (!cell.contains(document.activeElement)) { close(cell); }
  });
  document.addEventListener("focusin", function (event) {
    var cell = event.target.closest && event.target.closest(".has-tip");
    if (cell) { open(cell); }
  });
  document.addEventListener("focusout", function (event) {
    var cell = event.target.closest && event.target.closest(".has-tip");
    if (cell && !cell.contains(event.relatedTarget) && !cell.matches(":hover")) { close(cell); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) { current.classList.add("tip-off"); }
  });
  var follow = function () { if (current) { place(current); } };
  window.addEventListener("scroll", follow, { capture: true, passive: true });
  window.addEventListener("resize", follow, { passive: true });
}());
