// Live preview of Markdown, rendered by the server (the same sanitising renderer the published
// text uses). Without JavaScript the "Forhåndsvis" button posts the form instead.
(function () {
  "use strict";
  var button = document.querySelector("button[data-preview-url]");
  if (!button) return;
  var body = document.getElementById(button.getAttribute("data-preview-source"));
  var target = document.getElementById("forhaandsvisning");
  if (!body || !target) return;
  var form = button.form;
  var url = button.getAttribute("data-preview-url");
  var timer = null;
  var latest = 0;

  function refresh() {
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.append("body", body.value);
    data.append("glossary", button.getAttribute("data-preview-glossary") || "");
    var request = ++latest;
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (request === latest) target.innerHTML = html; // sanitised by the server
      })
      .catch(function () {
        /* keep the last preview; the button still works */
      });
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  button.addEventListener("click", function (event) {
    event.preventDefault();
    refresh();
  });
})();
