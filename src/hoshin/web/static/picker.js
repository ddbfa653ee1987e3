// Pickers (templates/_picker.html): a field that takes an id (or a name) becomes a combobox
// that shows names and titles. Typing asks the server for the first matches (web/pick.py:
// it filters, so a plan of 50,000 people sends 20 options); arrow keys move through them,
// Enter chooses, Escape closes. The id chosen goes into a hidden field of the field's name;
// text typed but not chosen is sent as typed (the server takes an exact id or name).
// A "many" picker keeps its choices as removable chips and sends their ids comma-separated.
// Without this script each field is the text field it enhances. Forms that htmx brings into
// the page (the objective page's add forms, a countermeasure's form) are enhanced as they
// arrive (htmx:load), each field once.
(function () {
  "use strict";

  function split(text) {
    return text.split(/[,\n]/).map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function enhance(input) {
    if (input.hasAttribute("role")) { return; }  // already a combobox
    var box = input.closest("[data-picker]");
    var list = document.getElementById(input.getAttribute("aria-controls") || input.id + "-list");
    var many = box.hasAttribute("data-many");
    var labels = JSON.parse(input.getAttribute("data-labels") || "{}");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    box.appendChild(hidden);
    var chips = box.querySelector(".picker-chosen");
    var chosen = many ? split(hidden.value) : [];
    var active = -1;
    var asked = 0;
    var timer = null;

    function options() {
      return Array.prototype.slice.call(
        list.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function ask(first) {
      var mine = ++asked;
      var url = box.getAttribute("data-url") + "?list=" + encodeURIComponent(list.id) +
        "&q=" + encodeURIComponent(input.value) + narrowing();
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (html) {
          if (mine !== asked || document.activeElement !== input) { return; }
          list.innerHTML = html;
          active = -1;
          open();
          if (first) { move(0); }
        });
    }
    // A people picker narrowed to the unit another picker holds (its field's value: the id
    // chosen, or what was typed, which the server takes as an id or an exact name).
    function narrowing() {
      var from = document.getElementById(box.getAttribute("data-unit-from") || "");
      var field = from && from.closest("[data-picker]").querySelector("input[type=hidden]");
      var unit = field ? field.value : (from ? from.value : "");
      return unit ? "&unit=" + encodeURIComponent(unit) : "";
    }
    function move(to) {
      var all = options();
      if (!all.length) { return; }
      active = (to + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function drawChips() {
      if (!chips) { return; }
      chips.innerHTML = "";
      chosen.forEach(function (key, i) {
        var chip = document.createElement("li");
        var text = document.createElement("span");
        text.textContent = labels[key] || key;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", "Remove " + (labels[key] || key));
        remove.addEventListener("click", function () {
          chosen.splice(i, 1);
          sync();
          drawChips();
          input.focus();
        });
        chip.appendChild(text);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }
    function sync() {
      hidden.value = chosen.join(", ");
    }
    function choose(option) {
      var key = option.getAttribute("data-value");
      labels[key] = option.getAttribute("data-label");
      if (many) {
        if (chosen.indexOf(key) < 0) { chosen.push(key); }
        sync();
        drawChips();
        input.value = "";
      } else {
        hidden.value = key;
        input.value = labels[key];
      }
      close();
    }

    if (many) {
      input.value = "";
      drawChips();
    } else {
      input.value = labels[hidden.value] || hidden.value;
    }
    input.addEventListener("input", function () {
      if (!many) { hidden.value = input.value.trim(); }
      clearTimeout(timer);
      timer = setTimeout(function () { ask(false); }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { clearTimeout(timer); ask(true); return; }  // open at the first
        move(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // choosing is not submitting the form
        choose(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && many && !input.value && chosen.length) {
        chosen.pop();
        sync();
        drawChips();
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      event.preventDefault();  // keep the focus in the field
      if (option && option.getAttribute("aria-disabled") !== "true") { choose(option); }
    });
    if (many && input.form) {
      // a name or id typed but not chosen is sent too: the server resolves it or says why not
      input.form.addEventListener("submit", function () {
        split(input.value).forEach(function (item) {
          if (chosen.indexOf(item) < 0) { chosen.push(item); }
        });
        sync();
      });
    }
  }

  // A new entity's id: the form shows the id its title suggests until the id is typed.
  function suggest(field) {
    var title = document.getElementById(field.getAttribute("data-id-from"));
    if (!title || field.hasAttribute("data-suggesting")) { return; }
    field.setAttribute("data-suggesting", "");
    var timer = null;
    var auto = !field.value;
    field.addEventListener("input", function () { auto = !field.value; });
    title.addEventListener("input", function () {
      if (!auto) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = field.getAttribute("data-id-url") + "&title=" + encodeURIComponent(title.value);
        fetch(url, { credentials: "same-origin" })
          .then(function (answer) { return answer.ok ? answer.text() : ""; })
          .then(function (key) { if (auto) { field.value = title.value.trim() ? key : ""; } });
      }, 300);
    });
  }

  // The elements in root that match the selector, root itself included.
  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root].concat(found) : found;
  }
  function start(root) {
    within(root, "[data-picker] input[data-labels]").forEach(enhance);
    within(root, "input[data-id-from]").forEach(suggest);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { start(document.body); });
  } else {
    start(document.body);
  }
  document.addEventListener("htmx:load", function (event) { start(event.target); });
})();
