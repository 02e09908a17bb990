// Conditional fields on section pages (progressive enhancement; SectionForm.shown_when).
//
// A field that applies only for some answers to another question comes in a block marked
// data-shown-when="<name of that question>" data-shown-values="<answers, space-separated>".
// Without JavaScript every block shows. Here a block is hidden (the `hidden` attribute) while
// the question has another answer, and shown again as soon as it has one of those. The block
// stays in the page: what was typed in it is kept and still saved. A block with an error
// message never hides. The question's inputs carry aria-controls (written by the server);
// a checkbox also gets aria-expanded, which ARIA does not allow on radio buttons or selects.
(function () {
  "use strict";

  function answer(form, name) {
    var inputs = form.querySelectorAll("[name]");
    for (var i = 0; i < inputs.length; i += 1) {
      var input = inputs[i];
      if (input.name !== name) {
        continue;
      }
      if (input.type === "radio") {
        if (input.checked) {
          return input.value;
        }
      } else if (input.type === "checkbox") {
        return input.checked ? "on" : "";
      } else {
        return input.value;
      }
    }
    return "";
  }

  function update(form, blocks) {
    blocks.forEach(function (block) {
      var values = block.getAttribute("data-shown-values").split(" ");
      var applies = values.indexOf(answer(form, block.getAttribute("data-shown-when"))) !== -1;
      block.hidden = !applies && !block.querySelector(".invalid-feedback");
    });
    form.querySelectorAll("input[type=checkbox][aria-controls]").forEach(function (box) {
      var shown = box
        .getAttribute("aria-controls")
        .split(" ")
        .some(function (id) {
          var block = document.getElementById(id);
          return block && !block.hidden;
        });
      box.setAttribute("aria-expanded", shown ? "true" : "false");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-shown-when]"));
      if (!blocks.length) {
        return;
      }
      update(form, blocks);
      form.addEventListener("change", function () {
        update(form, blocks);
      });
    });
  });
})();
