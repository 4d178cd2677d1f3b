// Small helpers for every page. Everything here only improves what works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The phrasebook of a form's phrase picker, {phrase id: {lang: text}}: a file of its own
  // that the browser keeps. The picker says when it has it (data-ready), for tests.
  window.poster = {
    phrasebook: function (select) {
      return fetch(select.dataset.phrasesUrl)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (table) {
          select.dataset.ready = "1";
          return table;
        });
    },
  };

  // Menus (<details class="menu">) close on a click elsewhere and on Escape, as menus do.
  function closeMenus(except) {
    Array.prototype.forEach.call(document.querySelectorAll("details.menu[open]"), function (menu) {
      if (menu !== except) menu.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest ? event.target.closest("details.menu") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.menu[open]");
    if (!open) return;
    open.open = false;
    open.querySelector("summary").focus();
  });

  // Collapsible panels (<details class="collapsible">, sent open) fold away on a small
  // screen unless they hold something chosen (data-active): the gallery's filters.
  document.addEventListener("DOMContentLoaded", function () {
    var small = window.matchMedia("(max-width: 40rem)");
    Array.prototype.forEach.call(document.querySelectorAll("details.collapsible"), function (panel) {
      function fit() { panel.open = !small.matches || panel.hasAttribute("data-active"); }
      fit();
      small.addEventListener("change", fit);
    });
  });
})();
