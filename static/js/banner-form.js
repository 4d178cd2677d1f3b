// The banner form's live preview and small helpers. The form works without this file:
// submitting it shows the banner on its own page.
(function () {
  "use strict";
  var script = document.currentScript;
  var msg = script ? script.dataset : {};
  var form = document.getElementById("banner-form");
  if (!form) return;
  document.documentElement.classList.add("js");

  var DEBOUNCE_MS = 250;
  var frame = document.getElementById("preview-frame");
  var image = document.getElementById("preview-image");
  var empty = document.getElementById("preview-empty");
  var status = document.getElementById("preview-status");
  var text = form.elements.text;
  var timer = null, latest = 0, inFlight = null, shownUrl = null;

  // Custom size and custom colours only matter when chosen; hide them otherwise.
  var customSize = document.getElementById("custom-size");
  var customColours = document.getElementById("custom-colours");
  var presets = JSON.parse(form.dataset.presets || "{}");

  function colours() {
    var preset = form.elements.colours.value;
    if (presets[preset]) return presets[preset];
    return [form.elements.fg.value, form.elements.bg.value];
  }

  function syncOptionalParts() {
    customSize.hidden = form.elements.size.value !== "custom";
    var preset = form.elements.colours.value;
    customColours.hidden = preset !== "custom";
    if (presets[preset]) {
      form.elements.fg.value = presets[preset][0];
      form.elements.bg.value = presets[preset][1];
    }
    showContrast();
  }

  // WCAG 2 contrast ratio; the same formula as the server's.
  function luminance(hex) {
    var n = parseInt(hex.replace("#", ""), 16);
    var rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(function (c) {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }

  function showContrast() {
    var warning = document.getElementById("contrast-warning");
    var pair = colours(), a = luminance(pair[0]), b = luminance(pair[1]);
    var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    warning.querySelector(".ratio").textContent = ratio.toFixed(1);
    warning.hidden = ratio >= parseFloat(warning.dataset.min);
  }

  // The language list is long: a search box narrows it by native or English name.
  var filter = document.getElementById("lang-filter");
  var select = form.elements.lang;
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLocaleLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var match = !q || option.text.toLocaleLowerCase().indexOf(q) !== -1
        || option.value.toLowerCase() === q;
      option.hidden = !match;
      if (match && !first) first = option;
    });
    if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
      select.value = first.value;
      schedule();
    }
  });
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); select.focus(); }
  });

  function previewWidth() {
    var px = frame.clientWidth * (window.devicePixelRatio || 1);
    return Math.max(300, Math.min(1200, Math.ceil(px / 100) * 100));
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  // A slogan over the limit is said so here, not sent (the form keeps every character).
  var maxLength = parseInt(text.dataset.maxLength, 10);
  function tooLong() {
    var length = Array.from(text.value).length;   // characters, as the server counts them
    if (!(length > maxLength)) return "";
    return (msg.msgTooLong || "").replace("{max}", maxLength).replace("{length}", length);
  }

  // Fetch a preview for the form as it is now; answers to older requests are dropped.
  function refresh() {
    var problem = tooLong();
    if (!text.value.trim() || problem) {
      ++latest;   // an answer still on its way is stale now
      if (inFlight) inFlight.abort();
      image.hidden = true;
      empty.hidden = !!problem;
      status.textContent = problem;
      status.classList.toggle("error", !!problem);
      done(latest);
      return;
    }
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    params.set("width", previewWidth());
    var seq = ++latest;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    frame.classList.add("stale");
    frame.setAttribute("aria-busy", "true");
    fetch(form.dataset.previewUrl + "?" + params.toString(), { signal: inFlight.signal })
      .then(function (response) {
        if (response.ok) return response.blob();
        return response.json().then(function (body) { throw body; });
      })
      .then(function (blob) {
        if (seq !== latest) return;
        var url = URL.createObjectURL(blob);
        image.onload = function () { if (shownUrl && shownUrl !== url) URL.revokeObjectURL(shownUrl); shownUrl = url; };
        image.src = url;
        image.alt = (msg.msgAlt || "") + ": " + text.value;
        image.hidden = false;
        empty.hidden = true;
        status.textContent = "";
        status.classList.remove("error");
        done(seq);
      })
      .catch(function (error) {
        if (seq !== latest || (error && error.name === "AbortError")) return;
        status.textContent = (error && error.error) || msg.msgFailed || "";
        status.classList.add("error");
        done(seq);
      });
  }

  function done(seq) {
    if (seq !== latest) return;
    frame.classList.remove("stale");
    frame.removeAttribute("aria-busy");
    form.dataset.previewSeq = String(seq);   // tests wait on this
  }

  form.addEventListener("input", function (event) {
    if (event.target === filter) return;
    syncOptionalParts();
    schedule();
  });
  form.addEventListener("change", function (event) {
    if (event.target === filter) return;
    syncOptionalParts();
    schedule();
  });
  syncOptionalParts();
  if (text.value.trim()) refresh();
  // After a refused submit, take keyboard and screen-reader users to the list of problems.
  var problems = document.getElementById("form-errors");
  if (problems) problems.focus();
})();
