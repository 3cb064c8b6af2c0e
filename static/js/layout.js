/* The layout's behaviour on small screens (static/css/corpnet.css, templates/base.html).
   Everything works without it; it only saves scrolling. */
(function () {
  "use strict";
  // Filter forms are wrapped in <details open data-collapse-narrow>: open without script and
  // on wide screens; on a phone they start closed (unless a field has an error), so the
  // first rows are on the first screen and the Filters button opens the form.
  // The button then says how many filters are set ("Filters · 2"), so a closed form
  // never hides that the list is filtered.
  var NOT_FILTERS = ["size", "order_by", "page", "after", "before", "last"]; // corpnet/listing.py
  function activeFilters() {
    var names = {};
    new URLSearchParams(window.location.search).forEach(function (value, name) {
      if (value !== "" && NOT_FILTERS.indexOf(name) < 0) names[name] = true;
    });
    return Object.keys(names).length;
  }
  function collapseOnNarrow() {
    if (!window.matchMedia("(max-width: 700px)").matches) return;
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (box) {
      var n = activeFilters(), summary = box.querySelector("summary");
      if (n && summary) summary.setAttribute("data-count", n);
      if (!box.querySelector(".errorlist")) box.removeAttribute("open");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", collapseOnNarrow);
  } else {
    collapseOnNarrow();
  }
})();
