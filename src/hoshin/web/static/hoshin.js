// Check-in grid: Enter moves to the next value (leaving a box saves it: htmx posts on
// change); a column pasted from a spreadsheet fills the boxes from this one down.
(function () {
  "use strict";
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("input.check-in-value"));
  }
  function after(box) {
    var all = boxes();
    return all.slice(all.indexOf(box) + 1);
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.classList || !box.classList.contains("check-in-value")) {
      return;
    }
    event.preventDefault();
    var next = after(box)[0];
    if (next) { next.focus(); } else { box.blur(); }
  });
  document.addEventListener("paste", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("check-in-value")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var values = text.split(/\r?\n/).map(function (v) { return v.trim(); });
    while (values.length && values[values.length - 1] === "") { values.pop(); }
    if (values.length < 2) { return; }
    event.preventDefault();
    [box].concat(after(box)).slice(0, values.length).forEach(function (target, i) {
      target.value = values[i].replace(",", ".");
      target.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
})();

// A red value opens the countermeasure form in its row: the focus goes to it when the
// value was typed (not when a pasted column turned several rows red), to the first field
// with a problem when the form comes back, and to the next value once it is recorded.
(function () {
  "use strict";
  var changed = null;
  var pastedAt = 0;
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.classList && box.classList.contains("check-in-value")) {
      var block = box.closest("tbody");
      changed = block ? block.id : null;
    }
  }, true);
  document.addEventListener("paste", function () { pastedAt = Date.now(); }, true);
  document.addEventListener("htmx:load", function (event) {
    var block = event.target;
    if (!block.classList || !block.classList.contains("check-in-metric")) { return; }
    var form = block.querySelector("form[data-countermeasure-form]");
    var invalid = form && form.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); return; }
    if (form && changed === block.id && Date.now() - pastedAt > 3000) {
      changed = null;
      form.querySelector("input[name='cause']").focus();
      return;
    }
    var note = block.querySelector(".countermeasure-note[role='status']");
    if (note) {
      var boxes = Array.prototype.slice.call(document.querySelectorAll("input.check-in-value"));
      var mine = block.querySelector("input.check-in-value");
      var next = boxes[boxes.indexOf(mine) + 1];
      (next || note).focus();
    }
  });
})();

// A button with data-print prints the page (a handler here: the Content-Security-Policy
// refuses onclick attributes).
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// The main menu on a narrow screen: folded behind its button (aria-expanded says which),
// opened and closed by the button, closed by Escape (the focus goes back to the button).
// Without JavaScript the button is not shown and the menu stays open.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 48rem)");
  function setUp() {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) { return; }
    header.classList.add("foldable");
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches &&
          button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
