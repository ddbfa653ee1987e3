// /api/docs: Swagger UI on the schema named by data-openapi-url. A file rather than the
// inline script FastAPI writes, so that the Content-Security-Policy refuses every inline one.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) { return; }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // no badge fetched from another origin
    presets: [window.SwaggerUIBundle.presets.apis]
  });
})();
