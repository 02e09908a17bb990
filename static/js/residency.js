// The IMM 5444 residency calculator, live (forms.md §8; forms_imm/residency.py).
//
// The server writes the result under the absences table; this script recomputes it from the
// rows as they are typed, with the same rules and the same sentences (data-text-*), and after
// a pause says it in a polite live region. Without JavaScript the server's figure stands, and
// it is right again after every save.
(function () {
  "use strict";

  var DAY = 86400000;
  var DATE_RE = /^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*[-/]\s*(\d{1,2})\s*$/;

  function parse(text) {
    var match = DATE_RE.exec(text || "");
    if (!match) {
      return null;
    }
    var year = +match[1], month = +match[2], day = +match[3];
    var value = Date.UTC(year, month - 1, day);
    var check = new Date(value);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 ||
        check.getUTCDate() !== day) {
      return null;
    }
    return value;
  }

  function iso(value) {
    return new Date(value).toISOString().slice(0, 10);
  }

  function anniversary(value, years) {
    // Whole years later or earlier; 29 February becomes 28 February in a common year.
    var date = new Date(value);
    var year = date.getUTCFullYear() + years;
    var month = date.getUTCMonth(), day = date.getUTCDate();
    if (month === 1 && day === 29 && new Date(Date.UTC(year, 1, 29)).getUTCMonth() !== 1) {
      day = 28;
    }
    return Date.UTC(year, month, day);
  }

  function daysPresent(windowStart, windowEnd, absences) {
    var ranges = [];
    absences.forEach(function (absence) {
      var first = Math.max(absence.start + DAY, windowStart);
      var last = absence.end === null ? windowEnd : Math.min(absence.end - DAY, windowEnd);
      if (first <= last) {
        ranges.push([first, last]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (range) {
      var top = merged[merged.length - 1];
      if (top && range[0] <= top[1] + DAY) {
        top[1] = Math.max(top[1], range[1]);
      } else {
        merged.push([range[0], range[1]]);
      }
    });
    var absent = 0;
    merged.forEach(function (range) { absent += Math.round((range[1] - range[0]) / DAY) + 1; });
    return Math.round((windowEnd - windowStart) / DAY) + 1 - absent;
  }

  function compute(today, becamePr, required, absences) {
    var fiveYearsStart = anniversary(today, -5) + DAY;
    var within = becamePr > fiveYearsStart;
    var windowStart = within ? becamePr : fiveYearsStart;
    var present = daysPresent(windowStart, today, absences);
    var needed = Math.max(0, required - present);
    var result = {
      start: windowStart, end: today, days: present, needed: needed, remaining: 0,
      firstEnd: null, shortfall: needed,
    };
    if (within) {
      result.firstEnd = anniversary(becamePr, 5) - DAY;
      result.remaining = Math.round((result.firstEnd - today) / DAY);
      result.shortfall = Math.max(0, needed - result.remaining);
    }
    return result;
  }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, key) {
      return text.split("__" + key + "__").join(String(values[key]));
    }, template);
  }

  function rowAbsences(form) {
    var absences = [];
    form.querySelectorAll("[data-table='absences'] [data-row]").forEach(function (row) {
      var start = row.querySelector("input[name$='-start']");
      var end = row.querySelector("input[name$='-end']");
      var present = row.querySelector("input[name$='-present']");
      var from = parse(start && start.value);
      if (from === null) {
        return;
      }
      if (present && present.checked) {
        absences.push({ start: from, end: null });
        return;
      }
      var to = parse(end && end.value);
      if (to !== null && to >= from) {
        absences.push({ start: from, end: to });
      }
    });
    return absences;
  }

  function init(panel) {
    var data = panel.dataset;
    var form = document.getElementById("section-form");
    var output = panel.querySelector("[data-residency-result]");
    var announcer = panel.querySelector("[data-residency-announcer]");
    var today = parse(data.today);
    var given = parse(data.becamePr);
    var required = parseInt(data.required, 10);
    var timer = null;
    if (!form || !output || today === null) {
      return;
    }
    var becamePr = given === null || given > today ? today - 3660 * DAY : given;

    function update() {
      var result = compute(today, becamePr, required, rowAbsences(form));
      var values = {
        START: iso(result.start), END: iso(result.end), DAYS: result.days, REQUIRED: required,
        SHORT: result.shortfall, NEEDED: result.needed, REMAINING: result.remaining,
        FIRST_END: result.firstEnd === null ? "" : iso(result.firstEnd),
      };
      var status = result.shortfall > 0 ? "not_met" : (result.needed > 0 ? "first" : "met");
      var lines = [fill(data.textDays, values)];
      lines.push(fill(status === "not_met" ? data.textNotMet :
        (status === "first" ? data.textFirst : data.textMet), values));
      if (given === null || given > today) {
        lines.push(data.textNoDate);
      }
      if (output.dataset.status === status && output.textContent === lines.join("")) {
        return;
      }
      output.dataset.status = status;
      output.classList.toggle("alert-warning", status === "not_met");
      output.classList.toggle("alert-success", status !== "not_met");
      output.replaceChildren.apply(output, lines.map(function (line) {
        var paragraph = document.createElement("p");
        paragraph.className = "mb-1";
        paragraph.textContent = line;
        return paragraph;
      }));
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (announcer) {
          announcer.textContent = lines.join(" ");
        }
      }, 1000);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    // Rows added, removed or moved by table_rows.js.
    new MutationObserver(update).observe(form, { childList: true, subtree: true });
  }

  document.querySelectorAll("[data-residency]").forEach(init);
})();
