// Times in the reader's time zone: a <time datetime="...UTC..." data-local> shows the UTC
// time the server wrote until this says it as the browser's clock does (the UTC text stays
// as its tooltip).
(function () {
  "use strict";
  var shown = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  function localise(root) {
    Array.prototype.forEach.call(root.querySelectorAll("time[data-local]"), function (time) {
      var at = new Date(time.getAttribute("datetime"));
      if (isNaN(at.getTime()) || time.title) { return; }
      time.title = time.textContent;
      time.textContent = shown.format(at);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:load", function (event) { localise(event.target); });
})();
