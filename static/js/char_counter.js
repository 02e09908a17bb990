// Live character counters for fields whose limit is data (forms.md §2.8).
//
// The server renders each counter ("18 / 24") next to its field and links it through
// aria-describedby; this script keeps it current while typing and, after a pause, says the
// count in the page's polite live region. Past the limit the counter says the rest continues
// in the annex: nothing is cut and nothing is refused.
(function () {
  "use strict";

  function textLength(value) {
    // Code points of the NFC text, as the server counts them (not UTF-16 units).
    var text = (value || "").trim();
    return Array.from(text.normalize ? text.normalize("NFC") : text).length;
  }

  function fill(template, count, limit) {
    return template.replace("__COUNT__", String(count)).replace("__LIMIT__", String(limit));
  }

  function init(form) {
    var data = form.dataset;
    var live = document.querySelector("[data-live-announcer]");
    var timer = null;

    function update(input, announce) {
      var counter = document.getElementById(input.id + "_counter");
      if (!counter) {
        return;
      }
      var limit = parseInt(counter.dataset.limit, 10);
      var count = textLength(input.value);
      var over = count > limit;
      counter.textContent = over ? fill(data.textCounterOver, count, limit) : count + " / " + limit;
      counter.classList.toggle("over-limit", over);
      if (announce && live) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          live.textContent = fill(over ? data.textAnnounceOver : data.textAnnounce, count, limit);
        }, 1000);
      }
    }

    // Another script announced something more important (a row added, moved or removed):
    // the counter's delayed announcement would overwrite it, so drop it.
    document.addEventListener("live:announce", function () {
      clearTimeout(timer);
    });

    form.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("[data-max-length]")) {
        update(event.target, true);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(init);
  });
})();
