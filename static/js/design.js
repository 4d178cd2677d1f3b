// The banner form's design options: theme swatches of the person's own slogan, the symbol
// picker, the offer to draw a typed "(A)" as Ⓐ, and the parts shown only for some choices.
// Everything works without this file: the themes are radio buttons with their names, the
// symbols are characters to copy, and the "(A)" box is a plain checkbox.
(function () {
  "use strict";
  var form = document.getElementById("banner-form");
  var body = form && form.querySelector(".more-options-body[data-themes-url]");
  if (!body) return;
  var more = document.getElementById("more-options");
  var text = form.elements.text;

  // --- Parts that belong to one choice: the grid to the outline theme, the custom colour to
  // "Custom colour". A hidden part is disabled too, so what it holds is not sent.
  var gridOption = document.getElementById("grid-option");
  var customAccent = document.getElementById("custom-accent");
  function showOnly(part, shown) {
    part.hidden = !shown;
    Array.prototype.forEach.call(part.querySelectorAll("input"), function (input) {
      input.disabled = !shown;
    });
  }
  function syncParts() {
    var grid = form.elements.grid;
    showOnly(gridOption, form.elements.theme.value === gridOption.dataset.theme
      || !!(grid && grid.getAttribute("aria-invalid")));
    showOnly(customAccent, form.elements.accent.value === "custom");
  }

  // --- Theme swatches: the slogan in every theme, asked for once typing has paused and only
  // while "More options" is open (six small pictures: the server's time is shared).
  var SWATCH_DELAY_MS = 900;
  var swatchTimer = null, swatchRequest = null, swatchKey = "";
  function swatchQuery() {
    var params = new URLSearchParams(new FormData(form));
    // Not the uploaded file itself: the swatches, like the preview, take its id (image_id).
    ["csrf_token", "theme", "grid", "submit", "fill", "image"].forEach(function (name) { params.delete(name); });
    params.set("width", Math.round(112 * Math.min(2, window.devicePixelRatio || 1)));
    return params;
  }
  function scheduleSwatches() {
    clearTimeout(swatchTimer);
    swatchTimer = setTimeout(fetchSwatches, SWATCH_DELAY_MS);
  }
  function fetchSwatches() {
    if (!more.open || !text.value.trim()) return;
    var params = swatchQuery(), key = params.toString();
    if (key === swatchKey) return;   // the same slogan and options: the pictures stand
    if (swatchRequest) swatchRequest.abort();
    swatchRequest = new AbortController();
    fetch(body.dataset.themesUrl + "?" + key, { signal: swatchRequest.signal })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        swatchKey = key;
        answer.themes.forEach(showSwatch);
        form.dataset.swatches = key;   // tests wait on this
      })
      .catch(function () { /* a newer request or no connection: the names still stand */ });
  }
  function showSwatch(item) {
    var input = form.querySelector("input[name=theme][value='" + item.theme + "']");
    var label = input && input.closest("label");
    if (!label) return;
    var picture = label.querySelector("img.theme-swatch");
    if (!item.thumb) {
      if (picture) picture.remove();
      return;
    }
    if (!picture) {
      picture = document.createElement("img");
      picture.className = "theme-swatch";
      picture.alt = "";   // the theme's name and description say it in words
      label.insertBefore(picture, label.firstChild);
    }
    picture.src = item.thumb;
  }

  // --- Symbols: a tap puts one where the cursor was in the slogan (or in the text box
  // last typed in: a translation, the signature), then typing goes on there.
  var TEXT_BOXES = ["text", "also_text_1", "also_text_2", "signature"];
  var target = text;
  form.addEventListener("focusin", function (event) {
    if (TEXT_BOXES.indexOf(event.target.name) >= 0) target = event.target;
  });
  function insert(box, symbol) {
    var start = box.selectionStart, end = box.selectionEnd;
    if (typeof start !== "number") start = end = box.value.length;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    // A symbol stands as a word of its own: a space between it and a letter.
    var pad = function (ch) { return ch && !/\s/.test(ch) ? " " : ""; };
    var added = pad(before.slice(-1)) + symbol + pad(after.charAt(0));
    box.value = before + added + after;
    box.focus();
    box.selectionStart = box.selectionEnd = start + added.length;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }
  var list = document.getElementById("symbol-list");
  var hint = document.getElementById("symbols-hint");
  hint.textContent = hint.dataset.msgJs;
  Array.prototype.forEach.call(list.querySelectorAll(".symbol"), function (span) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "symbol";
    button.textContent = span.textContent;
    button.title = span.dataset.name;
    button.setAttribute("aria-label", list.dataset.msgAdd.replace("{name}", span.dataset.name));
    button.addEventListener("click", function () { insert(target, span.textContent); });
    span.parentNode.replaceChild(button, span);
  });

  // --- "(A)" typed as letters: offered as Ⓐ by the preview, never swapped unasked. Yes
  // swaps it in every text box (the person sees it); no keeps it until the page is left.
  var picker = document.getElementById("symbols-picker");
  var choice = document.getElementById("symbols-choice");
  var STAND_IN = "(A)", SYMBOL = "\u24b6";
  var declined = false;
  var offer = document.createElement("p");
  offer.className = "symbol-offer";
  offer.id = "symbol-offer";
  offer.setAttribute("role", "status");
  offer.hidden = true;
  var question = document.createElement("span");
  question.textContent = picker.dataset.msgOffer + " ";
  var yes = document.createElement("button");
  yes.type = "button";
  yes.className = "button small";
  yes.textContent = picker.dataset.msgYes;
  var no = document.createElement("button");
  no.type = "button";
  no.className = "button small quiet";
  no.textContent = picker.dataset.msgNo;
  offer.append(question, yes, " ", no);
  // Under the slogan; on a phone, under the preview, which stays in sight while typing (with
  // the keyboard up, a line under the slogan would sit behind the "Make the banner" bar).
  var stage = document.getElementById("preview-stage");
  var phone = window.matchMedia("(max-width: 55.99rem)");   // app.css's breakpoint
  function placeOffer() {
    if (phone.matches && stage) stage.appendChild(offer);
    else text.closest(".field").after(offer);
  }
  placeOffer();
  phone.addEventListener("change", placeOffer);
  choice.hidden = !form.elements.symbols.checked;   // the offer above stands for the box
  function boxes() {
    return TEXT_BOXES.map(function (name) { return form.elements[name]; }).filter(Boolean);
  }
  function syncOffer() {
    var typed = boxes().some(function (box) { return box.value.indexOf(STAND_IN) >= 0; });
    offer.hidden = declined || !typed;
  }
  yes.addEventListener("click", function () {
    boxes().forEach(function (box) { box.value = box.value.split(STAND_IN).join(SYMBOL); });
    offer.hidden = true;
    text.focus();
    text.dispatchEvent(new Event("input", { bubbles: true }));
  });
  no.addEventListener("click", function () {
    declined = true;
    offer.hidden = true;
    text.focus();
  });

  form.addEventListener("input", function () { syncOffer(); scheduleSwatches(); });
  form.addEventListener("change", function () { syncParts(); scheduleSwatches(); });
  more.addEventListener("toggle", function () { if (more.open) fetchSwatches(); });
  syncParts();
  syncOffer();
  fetchSwatches();
})();
