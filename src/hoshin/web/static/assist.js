// The assistant's suggestions in the forms (templates/_assist_parents.html): a suggested
// parent's button puts its id into the form's field for it (the objective form's new
// Supports link, the catchball form's "Supports objective"), as if it had been picked
// there (static/picker.js keeps the id in a hidden field and shows the label). The buttons
// are hidden until this script runs: without it the suggestions name the id to type.
(function () {
  "use strict";

  function reveal(root) {
    var found = root.querySelectorAll ? root.querySelectorAll("button.assist-pick[hidden]") : [];
    Array.prototype.forEach.call(found, function (button) { button.hidden = false; });
  }

  function fill(button) {
    var input = document.getElementById(button.getAttribute("data-fill"));
    if (!input) { return; }
    var key = button.getAttribute("data-value");
    var label = button.getAttribute("data-label") || key;
    var box = input.closest("[data-picker]");
    var hidden = box && input.hasAttribute("role") ? box.querySelector("input[type=hidden]") : null;
    if (hidden) {
      hidden.value = key;  // the picker's field sent with the form
      input.value = label;
      var labels = JSON.parse(input.getAttribute("data-labels") || "{}");
      labels[key] = label;
      input.setAttribute("data-labels", JSON.stringify(labels));
    } else {
      input.value = key;  // a plain field: the server takes the id
    }
    input.dispatchEvent(new Event("change", { bubbles: true }));  // e.g. the parents' moves
    var said = button.parentNode.querySelector(".assist-picked");
    if (said) { said.textContent = "Linked: " + key + " is in " + (button.getAttribute("data-where") || "the form") + "."; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.assist-pick") : null;
    if (button) { fill(button); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document.body); });
  } else {
    reveal(document.body);
  }
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
})();
