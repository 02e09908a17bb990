// Add, remove and reorder table rows without a reload (the same buttons post the form and
// work without JavaScript). Rows are Django formset forms named "<table>-<index>-<field>";
// after every change the rows are renumbered, the formset's TOTAL_FORMS is updated, focus
// goes somewhere sensible and the change is announced in the polite live region. The
// autosave script hears a "rows:changed" event and saves.
(function () {
  "use strict";

  var ATTRIBUTES = ["name", "id", "for", "aria-describedby", "aria-labelledby", "data-counter-for"];

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function rowsOf(table) {
    return Array.prototype.slice.call(table.querySelectorAll("[data-rows] > [data-row]"));
  }

  function renumber(table) {
    var prefix = table.dataset.table;
    var pattern = new RegExp(escapeRegExp(prefix) + "-(\\d+|__prefix__)-", "g");
    var rows = rowsOf(table);
    rows.forEach(function (row, index) {
      var number = index + 1;
      row.id = prefix + "-row-" + number;
      row.querySelectorAll("*").forEach(function (element) {
        ATTRIBUTES.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && value.indexOf(prefix + "-") !== -1) {
            element.setAttribute(attribute, value.replace(pattern, prefix + "-" + index + "-"));
          }
        });
        if (element.dataset.rowText) {
          var text = element.dataset.rowText.replace("__N__", String(number));
          element.textContent = element.tagName === "SPAN" ? " " + text : text;
        }
        var action = element.dataset.rowAction;
        if (action) {
          element.value = action + ":" + prefix + ":" + number;
          if (action === "up") {
            element.hidden = index === 0;
          } else if (action === "down") {
            element.hidden = index === rows.length - 1;
          }
        }
      });
    });
    var total = table.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (total) {
      total.value = String(rows.length);
    }
    var empty = table.querySelector("[data-no-rows]");
    if (empty) {
      empty.hidden = rows.length > 0;
    }
  }

  function firstInput(row) {
    return row.querySelector("input:not([type=hidden]), textarea, select");
  }

  function init(form) {
    var data = form.dataset;
    var live = document.querySelector("[data-live-announcer]");

    function announce(template, number) {
      if (live) {
        // A row change outranks a pending "n of m characters" (char_counter.js drops it).
        document.dispatchEvent(new CustomEvent("live:announce"));
        live.textContent = template.replace("__N__", String(number));
      }
    }

    function changed() {
      form.dispatchEvent(new CustomEvent("rows:changed", { bubbles: true }));
    }

    function add(table) {
      var template = table.querySelector("template[data-row-template]");
      var row = template.content.querySelector("[data-row]").cloneNode(true);
      var idInput = row.querySelector("input[type=hidden][name$='-id']");
      if (idInput) {
        idInput.value = newId();
      }
      table.querySelector("[data-rows]").appendChild(row);
      renumber(table);
      var number = rowsOf(table).length;
      var input = firstInput(row);
      (input || row).focus();
      announce(data.textRowAdded, number);
      changed();
    }

    function remove(table, row) {
      var rows = rowsOf(table);
      var index = rows.indexOf(row);
      row.remove();
      renumber(table);
      rows = rowsOf(table);
      var next = rows[Math.min(index, rows.length - 1)];
      var target = next ? firstInput(next) : table.querySelector("[data-row-add]");
      (target || table).focus();
      announce(data.textRowRemoved, index + 1);
      changed();
    }

    function move(table, row, button, direction) {
      if (direction === "up" && row.previousElementSibling) {
        row.parentNode.insertBefore(row, row.previousElementSibling);
      } else if (direction === "down" && row.nextElementSibling) {
        row.parentNode.insertBefore(row.nextElementSibling, row);
      } else {
        return;
      }
      renumber(table);
      var position = rowsOf(table).indexOf(row) + 1;
      if (button.hidden) {
        button = row.querySelector(
          "[data-row-action='" + (direction === "up" ? "down" : "up") + "']"
        );
      }
      (button && !button.hidden ? button : firstInput(row)).focus();
      announce(data.textRowMoved, position);
      changed();
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-row-add], button[data-row-action]");
      if (!button || !form.contains(button)) {
        return;
      }
      var table = button.closest("[data-table]");
      if (!table) {
        return;
      }
      event.preventDefault();
      if (button.hasAttribute("data-row-add")) {
        add(table);
        return;
      }
      var row = button.closest("[data-row]");
      var action = button.dataset.rowAction;
      if (action === "remove") {
        remove(table, row);
      } else {
        move(table, row, button, action);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(init);
  });
})();
