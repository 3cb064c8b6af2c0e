/* The order form's finders (orders/forms.py FinderInput): as one types a name into a field
   marked data-finder, ask its JSON finder for up to 20 matches and offer them in the field's
   <datalist>. Without this script the form still works: a typed name is searched on submit. */
(function () {
  "use strict";
  var CHOSEN = /#\d+\s*$/; // a picked choice ends with the id; nothing to look up
  var timers = new WeakMap();
  function fill(input, results) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    list.replaceChildren.apply(
      list,
      results.map(function (item) {
        var option = document.createElement("option");
        option.value = item.label;
        return option;
      })
    );
  }
  function find(input) {
    var text = input.value.trim();
    if (text.length < 2 || CHOSEN.test(text)) return;
    var url = input.getAttribute("data-finder") + "?q=" + encodeURIComponent(text);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (input.value.trim() === text) fill(input, data.results);
      })
      .catch(function () {});
  }
  function later(input) {
    clearTimeout(timers.get(input));
    timers.set(
      input,
      setTimeout(function () {
        find(input);
      }, 250)
    );
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-finder]")) later(input);
  });
  // Typed before this (deferred) script ran, on a slow connection: that text gets its matches too.
  document.querySelectorAll("input[data-finder]").forEach(function (input) {
    if (input.value.trim()) later(input);
  });
})();
