// The banner form's live preview and small helpers. The form works without this file:
// submitting it shows the banner on its own page.
(function () {
  "use strict";
  var script = document.currentScript;
  var msg = script ? script.dataset : {};
  var form = document.getElementById("banner-form");
  if (!form) return;

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

  // The slogan as the banner shows it: `*emphasis*` marks are colour, not text (`\*` is a star).
  function plain(typed) {
    return typed.replace(/\\\*/g, "\u0000").replace(/\*+/g, "").replace(/\u0000/g, "*");
  }

  // The language search box (slogan-language.js) changes the list, not the banner.
  var filter = document.getElementById("lang-filter");

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
      clearTimeout(othersTimer);
      image.hidden = true;
      others.hidden = true;
      empty.hidden = !!problem;
      status.textContent = problem;
      status.classList.toggle("error", !!problem);
      done(latest);
      return;
    }
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    params.delete("image");   // the file itself: the preview takes its id (image_id)
    params.set("width", previewWidth());
    var seq = ++latest;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    frame.classList.add("stale");
    frame.setAttribute("aria-busy", "true");
    fetch(form.dataset.previewUrl + "?" + params.toString(), { signal: inFlight.signal })
      .then(function (response) {
        if (response.ok) return response.blob();
        if (response.status === 429) {   // too many at once: say how long, then try again
          var wait = Math.max(1, parseInt(response.headers.get("Retry-After"), 10) || 5);
          clearTimeout(timer);
          timer = setTimeout(refresh, wait * 1000);
          throw { error: (msg.msgBusy || "").replace("{seconds}", wait) };
        }
        return response.json().then(function (body) { throw body; });
      })
      .then(function (blob) {
        if (seq !== latest) return;
        var url = URL.createObjectURL(blob);
        image.onload = function () {
          if (shownUrl && shownUrl !== url) URL.revokeObjectURL(shownUrl);
          shownUrl = url;
          keepInSight();   // the first picture makes the preview taller
        };
        image.src = url;
        image.alt = (msg.msgAlt || "") + ": " + plain(text.value);
        image.hidden = false;
        empty.hidden = true;
        status.textContent = "";
        status.classList.remove("error");
        done(seq);
        scheduleAlternatives(params);
      })
      .catch(function (error) {
        if (seq !== latest || (error && error.name === "AbortError")) return;
        status.textContent = (error && error.error) || msg.msgFailed || "";
        status.classList.add("error");
        // A problem with a folded option: unfold it so the person sees the field.
        if (error && error.field && more.querySelector("[name='" + error.field + "']")) more.open = true;
        done(seq);
      });
  }

  // --- Other layouts: portrait and landscape, fill and stack, each with how much larger its
  // text is. They cost the server three more layouts, so they are asked for only once typing
  // has paused, one request at a time.
  var ALTERNATIVES_DELAY_MS = 900;
  var others = document.getElementById("alternatives");
  var othersList = document.getElementById("alternatives-list");
  var othersTimer = null, othersRequest = null;

  function scheduleAlternatives(params) {
    clearTimeout(othersTimer);
    othersTimer = setTimeout(function () { fetchAlternatives(params); }, ALTERNATIVES_DELAY_MS);
  }

  function fetchAlternatives(params) {
    var query = new URLSearchParams(params);
    query.set("width", Math.round(Math.min(200, Math.max(80, document.getElementById("maker").clientWidth / 4))
      * (window.devicePixelRatio || 1)));
    if (othersRequest) othersRequest.abort();
    othersRequest = new AbortController();
    var seq = latest;
    fetch(others.dataset.url + "?" + query.toString(), { signal: othersRequest.signal })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || seq !== latest) return;
        showAlternatives(body.alternatives);
      })
      .catch(function () { /* a newer request or no connection: the preview still stands */ });
  }

  function showAlternatives(items) {
    othersList.textContent = "";
    items.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "alternative";
      button.setAttribute("aria-pressed", item.current ? "true" : "false");
      button.setAttribute("aria-label", item.label);
      button.title = item.label;
      var picture = document.createElement("img");
      picture.src = item.thumb;
      picture.alt = "";
      var change = document.createElement("span");
      change.className = "alternative-change";
      change.textContent = item.change;
      button.append(picture, change);
      button.addEventListener("click", function () {
        if (item.current) return;
        form.querySelector("input[name=orientation][value='" + item.orientation_choice + "']").checked = true;
        form.querySelector("input[name=style][value='" + item.style + "']").checked = true;
        form.dispatchEvent(new Event("change", { bubbles: true }));
      });
      var li = document.createElement("li");
      li.appendChild(button);
      othersList.appendChild(li);
    });
    others.hidden = items.length === 0;
  }

  function done(seq) {
    if (seq !== latest) return;
    frame.classList.remove("stale");
    frame.removeAttribute("aria-busy");
    form.dataset.previewSeq = String(seq);   // tests wait on this
  }

  // "More options" remembers being open (on this device), and its summary names the choices
  // that differ from the defaults, so a folded panel still says what it holds.
  var more = document.getElementById("more-options");
  var choices = document.getElementById("more-options-choices");
  var MORE_KEY = "poster.more-options";
  try {
    if (localStorage.getItem(MORE_KEY) === "open") more.open = true;
  } catch (e) { /* storage may be off: the panel simply starts folded */ }
  more.addEventListener("toggle", function () {
    try { localStorage.setItem(MORE_KEY, more.open ? "open" : "closed"); } catch (e) { /* ignore */ }
  });

  function chosenLabel(element) {
    if (element.tagName === "SELECT") {
      var option = element.selectedOptions[0];
      return option && element.value !== element.dataset.default ? option.text : "";
    }
    var checked = element.querySelector("input:checked");
    if (!checked || checked.value === element.dataset.default) return "";
    var name = checked.closest("label").querySelector(".option-name");
    return name ? name.textContent : "";
  }

  function summarise() {
    var parts = [];
    Array.prototype.forEach.call(more.querySelectorAll("[data-summary]"), function (element) {
      var label = chosenLabel(element);
      if (label) parts.push(label.trim());
    });
    choices.textContent = parts.join(" · ");
  }

  // On a phone the preview stays in sight at the top while a text box has focus (the
  // keyboard is up); the box itself scrolls to just below it, never under it.
  var maker = document.getElementById("maker");
  var preview = document.getElementById("preview-stage");
  function isTextBox(element) {
    return element && (element.tagName === "TEXTAREA"
      || (element.tagName === "INPUT" && /^(text|search)$/.test(element.type)));
  }
  var phone = window.matchMedia("(max-width: 55.99rem)");   // app.css's breakpoint
  var actionBar = form.querySelector(".action-bar");
  var offer = document.getElementById("lang-offer");   // the language guessed from the letters
  function keepInSight() {
    var box = document.activeElement;
    if (!phone.matches || !maker.classList.contains("typing") || !isTextBox(box)) return;
    var top = preview.getBoundingClientRect().bottom + 8;
    var bottom = actionBar.getBoundingClientRect().top - 8;
    box.style.scrollMarginTop = (preview.getBoundingClientRect().height + 8) + "px";
    box.style.scrollMarginBottom = (actionBar.getBoundingClientRect().height + 8) + "px";
    box.scrollIntoView({ block: "nearest" });
    // The slogan's language note below it too, as far as that keeps the box below the preview.
    if (box === text && offer && !offer.hidden) {
      var below = offer.getBoundingClientRect().bottom - bottom;
      var room = box.getBoundingClientRect().top - top;
      if (below > 0 && room > 0) window.scrollBy(0, Math.min(below, room));
    }
  }
  form.addEventListener("focusin", function (event) {
    if (!isTextBox(event.target) || event.target === filter) return;
    maker.classList.add("typing");
    requestAnimationFrame(keepInSight);
  });
  form.addEventListener("focusout", function () { maker.classList.remove("typing"); });
  window.addEventListener("resize", keepInSight);   // the keyboard came up

  form.addEventListener("input", function (event) {
    if (event.target === filter) return;
    syncOptionalParts();
    schedule();
    requestAnimationFrame(keepInSight);
  });
  form.addEventListener("change", function (event) {
    if (event.target === filter) return;
    syncOptionalParts();
    summarise();
    schedule();
  });
  syncOptionalParts();
  summarise();
  if (text.value.trim()) refresh();
  // After a refused submit, take keyboard and screen-reader users to the list of problems.
  var problems = document.getElementById("form-errors");
  if (problems) problems.focus();
})();
