// Choosing a phrase fills the slogan, and the "also in" rows, in their chosen languages.
// A language with no translation of the phrase gets a note, never a guess. Without this
// file the form's "Fill in" button does the same on the server.
(function () {
  "use strict";
  var form = document.getElementById("banner-form");
  var select = document.getElementById("phrase");
  var note = document.getElementById("phrase-note");
  if (!form || !select || !note) return;
  // The translations come as a file of their own, kept by the browser (not inline in the page).
  var table = {};
  var phrasebook = window.poster.phrasebook(select);
  var button = document.getElementById("phrase-fill");
  if (button) button.remove();   // it would also be the default button for Enter

  // Each slogan field with the select that names its language.
  var rows = [["lang", "text"], ["also_lang_1", "also_text_1"], ["also_lang_2", "also_text_2"]]
    .map(function (names) {
      return { lang: form.elements[names[0]], text: form.elements[names[1]] };
    })
    .filter(function (row) { return row.lang && row.text; });

  function languageName(selectEl) {
    var option = selectEl.selectedOptions[0];
    return option ? option.text : selectEl.value;
  }

  // True when the field holds nothing the person typed: empty, or a translation of a phrase.
  function untouched(value) {
    if (!value.trim()) return true;
    return Object.keys(table).some(function (id) {
      return Object.keys(table[id]).some(function (lang) { return table[id][lang] === value; });
    });
  }

  // Words the person typed are replaced only when they say so.
  function mayReplace(translations) {
    var typed = rows.some(function (row) {
      return row.lang.value && translations[row.lang.value] && !untouched(row.text.value);
    });
    return !typed || window.confirm(select.dataset.msgReplace || "");
  }

  function fill(onlyRow) {
    var translations = table[select.value];
    var missing = [];
    if (!translations) { note.hidden = true; return; }
    rows.forEach(function (row) {
      if (!row.lang.value || (onlyRow && row !== onlyRow)) return;
      var found = translations[row.lang.value];
      if (found) {
        row.text.value = found;
      } else {
        if (untouched(row.text.value)) row.text.value = "";
        missing.push(languageName(row.lang));
      }
    });
    var template = note.dataset.msgMissing || "";
    note.textContent = missing.map(function (name) {
      return template.replace("{language}", name);
    }).join(" ");
    note.hidden = missing.length === 0;
    form.dispatchEvent(new Event("input", { bubbles: true }));   // the preview follows
  }

  var chosen = select.value;
  select.addEventListener("change", function () {
    phrasebook.then(function (loaded) {
      table = loaded;
      if (table[select.value] && !mayReplace(table[select.value])) {
        select.value = chosen;   // keep the typed slogan, and the phrase it was not replaced by
        return;
      }
      chosen = select.value;
      fill(null);
    });
  });
  rows.forEach(function (row) {
    row.lang.addEventListener("change", function () {
      phrasebook.then(function (loaded) {
        table = loaded;
        if (table[select.value] && untouched(row.text.value)) fill(row);
      });
    });
  });
})();
