// Live character counter for a message with a hard limit (the client's correction request).
//
// The server renders the counter ("12 of 2000 characters") under the field and links it through
// aria-describedby; this keeps it current while typing and, after a pause, says the count once
// in a polite live region. Past the limit it says how many characters are too many; the server
// refuses the message with the same explanation, keeping what was typed.
(function () {
  "use strict";

  function length(value) {
    return Array.from(value || "").length;
  }

  function fill(template, count, limit) {
    return template
      .replace("__COUNT__", String(count))
      .replace("__LIMIT__", String(limit))
      .replace("__OVER__", String(count - limit));
  }

  function init(form) {
    var announcer = form.querySelector("[data-counter-announcer]");
    var timer = null;
    form.querySelectorAll("textarea[data-max-length]").forEach(function (field) {
      var counter = document.getElementById(field.id + "_counter");
      if (!counter) {
        return;
      }
      var limit = parseInt(field.dataset.maxLength, 10);
      function update(announce) {
        var count = length(field.value);
        var over = count > limit;
        var text = fill(over ? form.dataset.textCounterOver : form.dataset.textCounter, count, limit);
        counter.textContent = text;
        counter.classList.toggle("text-danger", over);
        if (announce && announcer) {
          clearTimeout(timer);
          timer = setTimeout(function () {
            announcer.textContent = text;
          }, 1000);
        }
      }
      field.addEventListener("input", function () {
        update(true);
      });
      update(false);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-message-counter]").forEach(init);
  });
})();
