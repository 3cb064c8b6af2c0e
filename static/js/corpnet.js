// corpnet's few behaviours, in a static file so the Content-Security-Policy can forbid inline
// scripts: templates say what they want with data- attributes instead of onclick="...".
//   <form data-confirm="Really?">      asks before the form is sent
//   <button data-confirm="Really?">    asks before this button sends its form
//   <select data-autosubmit>            sends its form when the choice changes
"use strict";
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
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
