// corpnet's few behaviours, in a static file so the Content-Security-Policy can forbid inline
// scripts: templates say what they want with data- attributes instead of onclick="...".
//   <form data-confirm="Really?">      asks before the form is sent
//   <button data-confirm="Really?">    asks before this button sends its form
//   <select data-autosubmit>            sends its form when the choice changes
// A confirmation is asked once: the handler stops other listeners for the same event, so a
// page script with the same convention (mailing.js) does not ask a second time.
"use strict";
(function () {
  function ask(event, element) {
    event.stopImmediatePropagation();
    if (!window.confirm(element.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm], input[data-confirm]");
    if (button) {
      ask(event, button);
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-confirm")) {
      ask(event, form);
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }
  });
})();
