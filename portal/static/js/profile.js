// /min-profil: "Mine oplysninger er stadig korrekte" confirms the profile as it is stored, so
// it is offered only while nothing in the form is changed. Once something is, the button goes
// and "Gem og bekræft" saves and confirms. Progressive: without this script the server
// refuses a confirmation of a changed form and shows it again with the changes kept.
(function () {
  "use strict";
  var button = document.querySelector("button[data-only-unchanged]");
  if (!button || !button.form) { return; }
  var note = document.getElementById(button.getAttribute("data-only-unchanged"));
  var form = button.form;
  function changed() {
    if (!button.parentNode) { return; }
    button.parentNode.removeChild(button);
    if (note) {
      note.textContent = "Du har ændret noget. Tryk på \u201dGem og bekræft\u201d for at gemme og bekræfte.";
    }
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
}());
