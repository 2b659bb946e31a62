// "Before you file" (issue 17): while a member writes a new request, ask the hub for the items closest to the
// title, summary and gap, at most once a second after typing pauses, and show them beside the form. The member
// can always file anyway; without JavaScript their saved draft shows the same list.
(function () {
  "use strict";
  var panel = document.getElementById("before-you-file");
  if (!panel || !window.fetch) { return; }
  var form = document.querySelector("form[data-before-you-file]");
  if (!form) { return; }
  var names = ["title", "summary", "gap_statement"];
  var timer = null;
  var last = "";

  function ask() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var input = form.elements[name];
      if (input) { params.set(name, input.value); }
    });
    var once = new URLSearchParams(window.location.search).get("once");
    if (once) { params.set("once", once); }
    var query = params.toString();
    if (query === last) { return; }
    last = query;
    fetch(panel.getAttribute("data-url") + "?" + query, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        panel.innerHTML = html;
        panel.hidden = !html.trim();
        // Beside the form only while there is something to show; the form keeps the full width otherwise.
        var layout = document.getElementById("before-you-file-layout");
        if (layout) { layout.classList.toggle("two-columns", !panel.hidden); }
      })
      .catch(function () { /* the form works without suggestions */ });
  }

  names.forEach(function (name) {
    var input = form.elements[name];
    if (!input) { return; }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 800);
    });
  });
  ask();
})();
