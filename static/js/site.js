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

  // "My banners": what this browser made, kept in localStorage only (nothing goes to the
  // server): {kind: "banner"|"campaign", id, text, url, …, thumb (a small data: URL), at}.
  var MINE_KEY = "poster.mine", MINE_MAX = 100;
  window.poster.mine = {
    list: function () {
      try { return JSON.parse(localStorage.getItem(MINE_KEY) || "[]"); } catch (e) { return []; }
    },
    save: function (items) {
      try {
        localStorage.setItem(MINE_KEY, JSON.stringify(items.slice(0, MINE_MAX)));
        return true;
      } catch (e) { return false; }   // storage off or full: the pages still work
    },
    add: function (item) {
      var items = window.poster.mine.list().filter(function (old) {
        return !(old.kind === item.kind && old.id === item.id);
      });
      item.at = new Date().toISOString();
      items.unshift(item);
      return window.poster.mine.save(items);
    },
    remove: function (kind, id) {
      return window.poster.mine.save(window.poster.mine.list().filter(function (item) {
        return !(item.kind === kind && item.id === id);
      }));
    },
  };

  // A page of something just made here (data-mine: the item) adds it to "My banners", with
  // a small copy of its picture if it shows one.
  function remember(element) {
    var item = JSON.parse(element.dataset.mine);
    var image = element.querySelector("img");
    function keep() {
      try {
        var canvas = document.createElement("canvas");
        var scale = 240 / Math.max(image.naturalWidth, image.naturalHeight);
        canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        item.thumb = canvas.toDataURL("image/jpeg", 0.8);
      } catch (e) { /* no picture: the list shows the words */ }
      window.poster.mine.add(item);
      document.documentElement.dataset.remembered = item.id;   // for tests
    }
    if (!image) { window.poster.mine.add(item); return; }
    if (image.complete && image.naturalWidth) keep();
    else image.addEventListener("load", keep);
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mine]"), remember);
  });

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
    // On a phone the sections scroll sideways: bring the current one into view.
    var current = document.querySelector("nav.sections [aria-current]");
    var row = current && current.closest("nav");
    if (row && row.scrollWidth > row.clientWidth) {
      var box = current.getBoundingClientRect(), edge = row.getBoundingClientRect();
      if (box.right > edge.right || box.left < edge.left) {
        row.scrollLeft += box.left - edge.left - (edge.width - box.width) / 2;
      }
    }
    var small = window.matchMedia("(max-width: 40rem)");
    Array.prototype.forEach.call(document.querySelectorAll("details.collapsible"), function (panel) {
      function fit() { panel.open = !small.matches || panel.hasAttribute("data-active"); }
      fit();
      small.addEventListener("change", fit);
    });
  });
})();
