// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

/* ---- Pickers, the phone menu and folding filters (issue 13) ------------------------------------------------
   Each enhances markup that already works on its own: checkboxes in a fieldset, an open menu, open filters. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var narrow = window.matchMedia("(max-width: 760px)");

  // Case, accents and Arabic vowel marks do not count when filtering a list.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670]/g, "").toLowerCase();
  }

  function labelOf(box) {
    return box.closest("label").textContent.trim();
  }

  function chip(box, removeLabel, onRemove) {
    var button = document.createElement("button");
    var name = document.createElement("bdi");
    var cross = document.createElement("span");
    button.type = "button";
    button.className = "picker-chip";
    button.setAttribute("aria-label", removeLabel + ": " + labelOf(box));
    name.textContent = labelOf(box);
    cross.textContent = "×";
    cross.setAttribute("aria-hidden", "true");
    button.append(name, cross);
    button.addEventListener("click", function () { onRemove(box); });
    return button;
  }

  function enhancePicker(fieldset) {
    var data = fieldset.dataset;
    var list = fieldset.querySelector(".picker-options");
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    var legend = fieldset.querySelector("legend").textContent.replace("*", "").trim();
    var chosen = document.createElement("div");
    var count = document.createElement("span");
    var search = document.createElement("input");
    var nothing = document.createElement("p");

    chosen.className = "picker-chosen";
    count.className = "picker-count";
    count.setAttribute("role", "status");
    search.type = "search";
    search.className = "picker-search";
    search.placeholder = data.filterLabel;
    search.setAttribute("aria-label", data.filterLabel + " — " + legend);
    search.setAttribute("aria-controls", list.id);
    search.autocomplete = "off";
    nothing.className = "picker-empty";
    nothing.textContent = data.noMatchLabel;
    nothing.hidden = true;
    list.before(chosen, search);
    list.after(nothing);

    function remove(box) {
      var chips = Array.prototype.slice.call(chosen.querySelectorAll(".picker-chip"));
      var next = chips.indexOf(document.activeElement);
      box.checked = false;
      render();
      var left = chosen.querySelectorAll(".picker-chip");
      (left[Math.min(next, left.length - 1)] || search).focus();
    }

    function render() {
      var picked = boxes.filter(function (box) { return box.checked; });
      chosen.replaceChildren(count);
      count.textContent = picked.length ? data.chosenLabel + " " + picked.length : data.noneLabel;
      picked.forEach(function (box) { chosen.append(chip(box, data.removeLabel, remove)); });
    }

    function filter() {
      var wanted = folded(search.value.trim());
      var shown = 0;
      boxes.forEach(function (box) {
        // A choice may carry more to match than its label (a substance's names in every language: data-search).
        var keys = labelOf(box) + " " + (box.closest("li").getAttribute("data-search") || "");
        var match = !wanted || folded(keys).indexOf(wanted) !== -1;
        box.closest("li").hidden = !match;
        shown += match ? 1 : 0;
      });
      nothing.hidden = shown > 0;
    }

    function visible() {
      return boxes.filter(function (box) { return !box.closest("li").hidden; });
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // choose the first match rather than submit the form
        event.preventDefault();
        if (visible()[0]) { visible()[0].click(); }
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      } else if (event.key === "ArrowDown" && visible()[0]) {
        event.preventDefault();
        visible()[0].focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.target.type !== "checkbox") { return; }
      if (event.key === "Enter") {  // Space toggles natively; Enter does the same instead of submitting
        event.preventDefault();
        event.target.click();
      } else if (event.key === "Escape") {
        event.preventDefault();
        search.focus();
      }
    });
    list.addEventListener("change", render);
    render();
  }

  function enhanceMenu(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    function show(open) {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () { show(button.getAttribute("aria-expanded") !== "true"); });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches) {
        show(false);
        button.focus();
      }
    });
  }

  // On a phone the results come first: filters fold behind their summary unless the server refused one.
  function foldPanels() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (panel) {
      panel.open = !narrow.matches || panel.hasAttribute("data-refused");
    });
  }

  document.querySelectorAll("[data-picker]").forEach(enhancePicker);
  document.querySelectorAll(".menu-toggle").forEach(enhanceMenu);
  foldPanels();
  narrow.addEventListener("change", foldPanels);
}());

// Character counters: a text field with data-maxlength and data-counter="ID" counts towards its limit in the
// element ID, with the page's own (translated) sentences in its data-text and data-over, and tells screen
// readers the count in ID-live (aria-live="polite") once typing pauses. Characters are counted as the server
// counts them (code points; a line break is one).
(function () {
  var numbers = new Intl.NumberFormat((document.documentElement.lang || "en") + "-u-nu-latn");

  function fill(sentence, values) {
    return sentence.replace(/\{(\w+)\}/g, function (_, name) { return numbers.format(values[name]); });
  }

  function countTowardsLimit(field) {
    var counter = document.getElementById(field.getAttribute("data-counter"));
    var live = document.getElementById(field.getAttribute("data-counter") + "-live");
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var pause = null;
    if (!counter || !max) {
      return;
    }
    function update(announce) {
      var count = Array.from(field.value).length;
      var over = count - max;
      counter.textContent = fill(counter.getAttribute(over > 0 ? "data-over" : "data-text"),
                                 {count: count, max: max, over: over});
      counter.classList.toggle("over", over > 0);
      window.clearTimeout(pause);
      if (announce && live) {
        pause = window.setTimeout(function () { live.textContent = counter.textContent; }, 1000);
      }
    }
    field.addEventListener("input", function () { update(true); });
    window.addEventListener("pageshow", function () { update(false); });  // after Back put the text back
    update(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-maxlength][data-counter]"), countTowardsLimit);
})();
