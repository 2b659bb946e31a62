// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

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
