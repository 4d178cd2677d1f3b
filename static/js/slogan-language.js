// The slogan's language: found by any of its names in the search box, or guessed from the
// letters typed. A language the person picked themselves is never changed, only another
// suggested. The form works without this file: the language is then the list's choice.
(function () {
  "use strict";
  var form = document.getElementById("banner-form");
  if (!form) return;
  var select = form.elements.lang;
  var chosen = form.elements.lang_chosen;   // "1" once the person picked a language
  var filter = document.getElementById("lang-filter");
  var offer = document.getElementById("lang-offer");
  var WORD = /[\s\-‐–—/(),（）、·]+/;
  var MAX_OFFERED = 6;

  // Set the language and tell the form (the preview follows); our own change, not a pick.
  var changing = false;
  function setLanguage(tag) {
    select.value = tag;
    changing = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    changing = false;
  }

  function pick(tag, byHand) {
    if (filter.value) { filter.value = ""; showAll(); }
    if (byHand) chosen.value = "1";
    setLanguage(tag);
  }

  // --- Search: a name in the interface language, the language's own, English, or one people
  // use ("Farsi", "Bahasa"), by the start of the name or of a word in it. The same rules as
  // poster_app/slogan_languages.py (rank), which the server's tests hold.
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/([\u0000-\u007f])\p{M}+/gu, "$1")
      .normalize("NFC");
  }

  function rank(query, option) {
    var names = option.dataset.names ? option.dataset.names.split("|") : [];
    var aliases = option.dataset.aliases ? option.dataset.aliases.split("|") : [];
    var starts = function (name) { return name.indexOf(query) === 0; };
    var groups = [names.slice(0, 1), names.slice(1), aliases];
    for (var i = 0; i < groups.length; i++) if (groups[i].some(starts)) return i;
    var words = names.concat(aliases).join("|").split(/\|/).map(function (name) {
      return name.split(WORD);
    });
    if ([].concat.apply([], words).some(starts)) return 3;
    return option.value.toLowerCase() === query ? 1 : null;
  }

  function showAll() {
    Array.prototype.forEach.call(select.options, function (option) { option.hidden = false; });
  }

  filter.hidden = false;
  filter.addEventListener("input", function () {
    var query = fold(filter.value.trim());
    if (!query) { showAll(); return; }
    var best = null, bestRank = 99;
    Array.prototype.forEach.call(select.options, function (option) {
      var found = rank(query, option);
      option.hidden = found === null;
      if (found !== null && found < bestRank) { best = option; bestRank = found; }
    });
    if (best && best.value !== select.value) {
      chosen.value = "1";
      setLanguage(best.value);
    }
  });
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); select.focus(); }
  });

  // --- The letters typed: which scripts, so which languages (the server's table: script →
  // languages written in it, the likeliest first).
  var table = JSON.parse(select.dataset.scripts || "{}");
  var patterns = {};
  Object.keys(table).forEach(function (script) {
    try { patterns[script] = new RegExp("\\p{Script=" + script + "}", "gu"); } catch (e) { /* old browser */ }
  });

  // The languages that fit the text best ([] for too few letters), the likeliest first.
  function guess(text) {
    var counts = {}, total = 0, dominant = null;
    Object.keys(patterns).forEach(function (script) {
      var found = text.match(patterns[script]);
      if (!found) return;
      counts[script] = found.length;
      total += found.length;
      if (!dominant || found.length > counts[dominant]) dominant = script;
    });
    if (total < 2) return [];
    var score = {};
    Object.keys(counts).forEach(function (script) {
      table[script].forEach(function (tag) { score[tag] = (score[tag] || 0) + counts[script]; });
    });
    var order = table[dominant];
    var place = function (tag) { var i = order.indexOf(tag); return i === -1 ? 999 : i; };
    var tags = Object.keys(score).sort(function (a, b) {
      return score[b] - score[a] || place(a) - place(b);
    });
    return tags.filter(function (tag) { return score[tag] === score[tags[0]]; });
  }

  function nativeName(tag) {
    var option = select.querySelector("option[value='" + tag + "']");
    return option ? option.dataset.native || option.text : tag;
  }

  function chip(tag) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.lang = tag;
    button.textContent = nativeName(tag);
    button.addEventListener("click", function () {
      pick(tag, true);
      offer.hidden = true;
    });
    return button;
  }

  // The note: `message` with "{language}" as an isolated name (it may run right to left).
  function say(message, tags, name) {
    offer.textContent = "";
    var words = document.createElement("span");
    message.split("{language}").forEach(function (part, i) {
      if (i) {
        var bdi = document.createElement("bdi");
        bdi.textContent = name;
        words.appendChild(bdi);
      }
      words.appendChild(document.createTextNode(part));
    });
    offer.appendChild(words);
    tags.slice(0, MAX_OFFERED).forEach(function (tag) {
      offer.appendChild(document.createTextNode(" "));
      offer.appendChild(chip(tag));
    });
    offer.hidden = false;
  }

  var guessed = null;   // the language this script chose, while it stands
  function follow() {
    var fits = guess(form.elements.text.value);
    if (!fits.length || (fits.indexOf(select.value) !== -1 && select.value !== guessed)) {
      offer.hidden = true;
      return;
    }
    // Many languages share Latin letters: suggest only the likeliest of them.
    var others = fits.length > MAX_OFFERED ? fits.slice(0, 1) : fits;
    if (chosen.value) {
      if (select.value === guessed) return;
      say(offer.dataset.msgOffer, others);
      return;
    }
    if (select.value !== fits[0]) pick(fits[0], false);
    guessed = fits[0];
    var msg = offer.dataset.msgSet;
    say(others.length > 1 ? msg + " " + offer.dataset.msgOr : msg, others.slice(1), nativeName(fits[0]));
  }

  // The other languages' rows: a row whose language is still "none" gets the guess.
  function followRows() {
    [1, 2].forEach(function (n) {
      var lang = form.elements["also_lang_" + n], text = form.elements["also_text_" + n];
      if (!lang || !text || lang.value) return;
      var fits = guess(text.value);
      if (fits.length) {
        lang.value = fits[0];
        lang.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target === form.elements.text) follow();
    else if (/^also_text_/.test(event.target.name)) followRows();
  });
  select.addEventListener("change", function () {
    if (changing) return;   // our own change, not the person's
    chosen.value = "1";
    guessed = null;
    follow();
  });
  if (form.elements.text.value.trim()) follow();
})();
