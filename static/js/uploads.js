// Uploads with checks before sending and a progress bar (templates/applications/document_*.html).
// Progressive enhancement: without JavaScript the form posts normally and the server checks
// everything. With it, a file that is too large or of a type the field does not accept is
// refused before it is sent (the server checks again), the upload shows a <progress> bar and a
// polite status message, and every failure shows the server's message: nothing fails silently.
// Messages come translated from data- attributes set by the server (UploadField and the form).
(function () {
  "use strict";

  function extensionOf(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  function fileProblem(input) {
    var file = input.files && input.files[0];
    if (!file) {
      return "";
    }
    var limit = Number(input.dataset.maxBytes || 0);
    if (limit && file.size > limit) {
      return input.dataset.tooLargeMessage || "";
    }
    var accepted = (input.getAttribute("accept") || "")
      .split(",")
      .map(function (item) { return item.trim().toLowerCase(); })
      .filter(Boolean);
    if (accepted.length && accepted.indexOf(extensionOf(file.name)) === -1) {
      return input.dataset.typeMessage || "";
    }
    return "";
  }

  function errorId(input) {
    return input.id + "-browser-error";
  }

  function clearError(input) {
    var existing = document.getElementById(errorId(input));
    if (existing) {
      existing.remove();
    }
    var describedBy = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter(function (id) { return id && id !== errorId(input); });
    if (describedBy.length) {
      input.setAttribute("aria-describedby", describedBy.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
    // Only undo what this script did; an error the server reported stays until the next post.
    if (input.dataset.browserInvalid) {
      delete input.dataset.browserInvalid;
      if (!input.dataset.serverInvalid) {
        input.removeAttribute("aria-invalid");
        input.classList.remove("is-invalid");
      }
    }
  }

  function showError(input, message) {
    clearError(input);
    var error = document.createElement("div");
    error.id = errorId(input);
    error.className = "invalid-feedback d-block";
    var strong = document.createElement("strong");
    strong.textContent = message;
    error.appendChild(strong);
    input.insertAdjacentElement("afterend", error);
    if (input.getAttribute("aria-invalid") === "true" && !input.dataset.browserInvalid) {
      input.dataset.serverInvalid = "true";
    }
    input.dataset.browserInvalid = "true";
    input.setAttribute("aria-invalid", "true");
    input.classList.add("is-invalid");
    var describedBy = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + error.id);
  }

  function status(form, message) {
    var region = form.querySelector(".upload-status");
    if (region) {
      region.textContent = message;
    }
  }

  function replaceMain(html) {
    // Show the page the server answered with (the form with its errors, or an error page).
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var incoming = parsed.querySelector("main");
    var main = document.querySelector("main");
    if (!incoming || !main) {
      return false;
    }
    main.replaceChildren.apply(main, Array.prototype.slice.call(incoming.childNodes));
    if (parsed.title) {
      document.title = parsed.title;
    }
    var summary = main.querySelector("[data-error-summary]");
    (summary || main).focus();
    return true;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.closest("[data-upload-form]")) {
      return;
    }
    var problem = fileProblem(input);
    if (problem) {
      showError(input, problem);
    } else {
      clearError(input);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-form")) {
      return;
    }
    if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) {
      return; // the plain form post
    }
    event.preventDefault();
    var firstProblem = null;
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      var problem = fileProblem(input);
      if (problem) {
        showError(input, problem);
        firstProblem = firstProblem || { input: input, message: problem };
      } else {
        clearError(input);
      }
    });
    if (firstProblem) {
      status(form, firstProblem.message);
      firstProblem.input.focus();
      return;
    }

    var button = form.querySelector('button[type="submit"]');
    var progressBox = form.querySelector(".upload-progress");
    var bar = progressBox && progressBox.querySelector("progress");
    var xhr = new XMLHttpRequest();

    function failed(message) {
      if (button) {
        button.disabled = false;
      }
      if (progressBox) {
        progressBox.hidden = true;
      }
      status(form, message);
    }

    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Upload", "1");
    xhr.upload.addEventListener("progress", function (progress) {
      if (bar && progress.lengthComputable) {
        bar.value = Math.round((progress.loaded / progress.total) * 100);
      }
    });
    xhr.upload.addEventListener("load", function () {
      if (bar) {
        bar.value = 100;
      }
      status(form, form.dataset.msgChecking || "");
    });
    xhr.addEventListener("load", function () {
      var target = xhr.getResponseHeader("X-Redirect");
      if (xhr.status === 204 && target) {
        window.location.assign(target);
        return;
      }
      if (xhr.status === 413) {
        failed(form.dataset.msgTooLargeServer || "");
        return;
      }
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status < 500 && type.indexOf("text/html") === 0 && replaceMain(xhr.responseText)) {
        return;
      }
      failed((form.dataset.msgFailed || "") + " (" + xhr.status + ")");
    });
    xhr.addEventListener("error", function () {
      failed(form.dataset.msgFailed || "");
    });
    xhr.addEventListener("abort", function () {
      failed(form.dataset.msgFailed || "");
    });

    if (button) {
      button.disabled = true;
    }
    if (progressBox) {
      progressBox.hidden = false;
    }
    if (bar) {
      bar.value = 0;
    }
    status(form, form.dataset.msgSending || "");
    xhr.send(new FormData(form));
  });
})();
