// Confirmations without inline handlers (the Content-Security-Policy forbids onclick="..."):
//   <form data-confirm="Really?">      asks before the form is sent
//   <button data-confirm="Really?">    asks before this button sends its form
// A confirmation is asked once: the handler stops other listeners for the same event, so a
// page script with the same convention (mailing.js) does not ask a second time.
(function () {
  "use strict";
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
})();
