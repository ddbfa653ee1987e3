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
