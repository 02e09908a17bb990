// Session-timeout warning (QUALITY.md §2), after Canada.ca's session-timeout pattern.
//
// The server renders how many seconds the session has left (data-expires-in); the dialog
// opens when the warning time is reached (20 minutes after the last activity by default),
// counts down, and at zero lets other scripts save their work (the `session:expiring`
// event) before signing out and opening the "signed out" page.
//
// Other scripts talk to this one through DOM events on `document`:
// - `session:renewed` (detail: {expiresIn: seconds}) after a request that renewed the
//   session, such as an autosave;
// - `session:expiring` (detail: {waitUntil(promise)}) is dispatched at zero; listeners may
//   pass a promise (for example a final autosave) that is awaited for up to 5 seconds.
(function () {
  "use strict";

  // Sign out this many seconds before the server would, so a final save still gets through.
  var MARGIN_SECONDS = 10;
  var FLUSH_TIMEOUT_MS = 5000;

  function init(dialog) {
    var data = dialog.dataset;
    var idle = parseInt(data.idle, 10);
    var warning = parseInt(data.warning, 10);
    var leadMs = Math.max(idle - warning, 0) * 1000;
    var countdown = dialog.querySelector("[data-session-countdown]");
    var announce = dialog.querySelector("[data-session-announce]");
    var continueButton = dialog.querySelector("[data-session-continue]");
    var endForm = dialog.querySelector("[data-session-end-form]");
    var nextInput = dialog.querySelector("[data-session-next]");
    var deadline = 0;
    var renewing = false;
    var openTimer = null;
    var tickTimer = null;
    var lastAnnounced = null;
    var returnFocus = null;
    var ending = false;
    var closing = false;

    function schedule(expiresInSeconds) {
      var expiresAt = Date.now() + expiresInSeconds * 1000;
      deadline = expiresAt - MARGIN_SECONDS * 1000;
      clearTimeout(openTimer);
      openTimer = setTimeout(open, Math.max(expiresAt - leadMs - Date.now(), 0));
    }

    function remainingMs() {
      return Math.max(deadline - Date.now(), 0);
    }

    function format(ms) {
      var total = Math.ceil(ms / 1000);
      var minutes = Math.floor(total / 60);
      var seconds = total % 60;
      return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    }

    function spoken(ms) {
      var minutes = Math.ceil(ms / 60000);
      if (ms < 60000) {
        return data.textSeconds;
      }
      if (minutes === 1) {
        return data.textOneMinute;
      }
      return data.textMinutes.replace("__N__", String(minutes));
    }

    function tick() {
      var ms = remainingMs();
      countdown.textContent = format(ms);
      // The live region speaks once a minute, not every second.
      var phrase = spoken(ms);
      if (phrase !== lastAnnounced) {
        lastAnnounced = phrase;
        announce.textContent = phrase;
      }
      if (ms <= 0) {
        expire();
      }
    }

    function open() {
      if (dialog.open || ending) {
        return;
      }
      returnFocus = document.activeElement;
      lastAnnounced = null;
      dialog.showModal();
      continueButton.focus();
      tick();
      clearInterval(tickTimer);
      tickTimer = setInterval(tick, 1000);
    }

    function close() {
      clearInterval(tickTimer);
      if (dialog.open) {
        closing = true; // the "close" event fires later; it resets this flag
        dialog.close();
      }
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
      returnFocus = null;
    }

    function signedOutUrl() {
      return data.signedOutUrl + "?next=" + encodeURIComponent(data.currentPath);
    }

    function csrfToken() {
      var input = endForm.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function keepalive() {
      return fetch(data.keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        if (response.status !== 204) {
          throw new Error("session ended");
        }
        return parseInt(response.headers.get("X-Session-Expires-In"), 10);
      });
    }

    function continueSession() {
      if (renewing || ending) {
        return;
      }
      renewing = true;
      continueButton.disabled = true;
      keepalive()
        .then(function (expiresIn) {
          close();
          schedule(expiresIn);
        })
        .catch(function () {
          // The server already ended the session: say so on the signed-out page.
          window.location.assign(signedOutUrl());
        })
        .then(function () {
          renewing = false;
          continueButton.disabled = false;
        });
    }

    function expire() {
      if (ending) {
        return;
      }
      ending = true;
      clearInterval(tickTimer);
      clearTimeout(openTimer);
      var pending = [];
      document.dispatchEvent(
        new CustomEvent("session:expiring", {
          detail: {
            waitUntil: function (promise) {
              pending.push(Promise.resolve(promise));
            }
          }
        })
      );
      var flushed = Promise.all(
        pending.map(function (p) {
          return p.catch(function () {});
        })
      );
      var timeout = new Promise(function (resolve) {
        setTimeout(resolve, FLUSH_TIMEOUT_MS);
      });
      Promise.race([flushed, timeout]).then(function () {
        nextInput.value = signedOutUrl();
        endForm.submit();
      });
    }

    continueButton.addEventListener("click", continueSession);
    // Escape never ends the session: it counts as "Continue session".
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      continueSession();
    });
    // Browsers may close a modal dialog on a repeated Escape anyway; that too continues.
    dialog.addEventListener("close", function () {
      if (closing) {
        closing = false;
      } else if (!ending) {
        continueSession();
      }
    });
    document.addEventListener("session:renewed", function (event) {
      if (!ending && event.detail && event.detail.expiresIn) {
        close();
        schedule(event.detail.expiresIn);
      }
    });
    schedule(parseInt(data.expiresIn, 10));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("session-timeout");
    if (dialog && typeof dialog.showModal === "function") {
      init(dialog);
    }
  });
})();
