// Autosave for section pages (STYLE.md §6). Progressive enhancement: without JavaScript the
// "Save draft" button does the same.
//
// The form is posted to its own address with "X-Autosave: 1" about 10 s after typing stops,
// when a field loses focus, when the page is hidden and when the session-timeout script says
// the session is about to end ("session:expiring"; the save finishes within its 5 s). The
// server answers 204 with the new version in X-Form-Version, which goes into the hidden
// expected_version field. A 409 means the section was saved elsewhere: autosave stops and
// says so, with a button that posts the page normally to compare both versions. Drafts live
// only on the server: nothing is kept in localStorage.
(function () {
  "use strict";

  function init(form) {
    var data = form.dataset;
    var delay = parseInt(data.autosaveDelay, 10) || 10000;
    var status = form.querySelector("[data-autosave-status]");
    var versionInput = form.querySelector("[data-form-version]");
    var timer = null;
    var inFlight = null;
    var dirty = false;
    var stopped = false;

    function say(text) {
      status.textContent = text;
    }

    function csrfToken() {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function clock() {
      return new Date().toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: "2-digit",
        minute: "2-digit"
      });
    }

    function schedule() {
      clearTimeout(timer);
      if (!stopped) {
        timer = setTimeout(save, delay);
      }
    }

    function stop() {
      stopped = true;
      clearTimeout(timer);
      say(data.textConflict + " ");
      var review = document.createElement("button");
      review.type = "button";
      review.className = "btn btn-link p-0 align-baseline";
      review.textContent = data.textReview;
      review.addEventListener("click", function () {
        // A normal post with the old version: the server shows the conflict page with both.
        var saveButton = form.querySelector(".form-actions button[name=action][value=save]");
        form.requestSubmit(saveButton);
      });
      status.appendChild(review);
    }

    function send(keepalive) {
      dirty = false;
      say(data.textSaving);
      return fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        // URL-encoded rather than multipart: smaller, and quicker for the server to read.
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        redirect: "manual",
        keepalive: keepalive,
        headers: { "X-Autosave": "1", "X-CSRFToken": csrfToken() }
      })
        .then(function (response) {
          if (response.status === 204) {
            var version = response.headers.get("X-Form-Version");
            if (version) {
              versionInput.value = version;
            }
            say(data.textSaved.replace("__TIME__", clock()));
            var expiresIn = parseInt(response.headers.get("X-Session-Expires-In"), 10);
            if (expiresIn) {
              document.dispatchEvent(
                new CustomEvent("session:renewed", { detail: { expiresIn: expiresIn } })
              );
            }
          } else if (response.status === 409) {
            stop();
          } else if (response.status === 422) {
            say(data.textInvalid);
          } else if (response.type === "opaqueredirect" || response.status === 403) {
            stopped = true; // signed out: the sign-in page would answer
            say(data.textSignedOut);
          } else {
            dirty = true;
            say(data.textOffline);
            schedule();
          }
        })
        .catch(function () {
          dirty = true;
          say(data.textOffline);
          schedule();
        });
    }

    function save(options) {
      clearTimeout(timer);
      if (inFlight) {
        // One request at a time; whatever changed meanwhile is saved right after.
        return inFlight.then(function () {
          return save(options);
        });
      }
      if (stopped || !dirty) {
        return Promise.resolve();
      }
      inFlight = send(Boolean(options && options.keepalive)).then(function () {
        inFlight = null;
      });
      return inFlight;
    }

    function changed() {
      if (!stopped) {
        dirty = true;
        schedule();
      }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("rows:changed", function () {
      changed();
      save();
    });
    form.addEventListener("focusout", function (event) {
      if (dirty && event.target.matches && event.target.matches("input, textarea, select")) {
        save();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && dirty) {
        save({ keepalive: true });
      }
    });
    document.addEventListener("session:expiring", function (event) {
      if (event.detail && event.detail.waitUntil) {
        event.detail.waitUntil(save());
      }
    });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      if (inFlight) {
        // Let the autosave finish first, so this post carries the version it produced.
        event.preventDefault();
        var submitter = event.submitter;
        inFlight.then(function () {
          dirty = false;
          form.requestSubmit(submitter);
        });
        return;
      }
      stopped = true;
      dirty = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(init);
  });
})();
