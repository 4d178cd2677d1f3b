// Campaigns: the phrase fills every language's slogan; the progress page polls the status.
(function () {
  "use strict";

  // --- The form: choosing a phrase fills each language's box (empty when it has none).
  var form = document.getElementById("campaign-form");
  var select = document.getElementById("phrase");
  if (form && select) {
    var table = {};
    var phrasebook = window.poster.phrasebook(select);
    var button = document.getElementById("phrase-fill");
    if (button) button.remove();   // it would also be the default button for Enter
    var boxes = form.querySelectorAll("input[name^='text_']");
    var isPhrase = function (value) {
      return Object.keys(table).some(function (id) {
        return Object.keys(table[id]).some(function (lang) { return table[id][lang] === value; });
      });
    };
    var chosen = select.value;
    select.addEventListener("change", function () {
      phrasebook.then(function (loaded) { table = loaded; fillAll(); });
    });
    var fillAll = function () {
      var typed = Array.prototype.some.call(boxes, function (input) {
        return input.value.trim() && !isPhrase(input.value);
      });
      if (typed && !window.confirm(select.dataset.msgReplace || "")) {
        select.value = chosen;   // the slogans the person typed stay
        return;
      }
      chosen = select.value;
      var translations = table[select.value] || {};
      Array.prototype.forEach.call(boxes, function (input) {
        input.value = translations[input.name.slice(5)] || "";
      });
    };
    // Typing a slogan ticks its language.
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (!input.name || input.name.indexOf("text_") !== 0 || !input.value.trim()) return;
      var box = document.getElementById("lang-" + input.name.slice(5));
      if (box) box.checked = true;
    });
  }

  // --- The progress page.
  var section = document.getElementById("campaign");
  if (!section) return;
  var msg = section.dataset;
  var progress = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var list = document.getElementById("campaign-items");
  var download = document.getElementById("download");
  var POLL_MS = 400;

  function busy(state) { return state === "queued" || state === "working"; }

  function describe(status) {
    var line = msg.msgProgress.replace("{done}", status.finished).replace("{total}", status.total);
    if (status.failed.length) line += ", " + msg.msgFailed.replace("{failed}", status.failed.length);
    if (status.zip_url) line += ". " + msg.msgReady;
    return line;
  }

  function show(status) {
    progress.max = status.total;
    progress.value = status.finished;
    text.textContent = describe(status);
    status.items.forEach(function (item) {
      var li = list.querySelector("li[data-name='" + item.name + "']");
      if (!li || li.className === item.state) return;
      li.className = item.state;
      // The label as the page wrote it, in the interface language (the status's is English).
      li.textContent = li.dataset.label + (item.message ? ": " + item.message : "");
    });
    if (status.zip_url) download.hidden = false;
    if (!busy(status.state) && wasWorking) refreshRecords(status.state);
    else section.dataset.state = status.state;   // tests wait on this
  }

  // Once built, the banners are gallery rows: show their grid (and the editor's forms), the
  // ZIP's links with what it holds, or why the ZIP could not be made.
  var wasWorking = busy(section.dataset.state);
  function refreshRecords(state) {
    wasWorking = false;
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        ["campaign-records", "download", "campaign-outcome"].forEach(function (id) {
          var fresh = page.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.replaceWith(document.importNode(fresh, true));
        });
      })
      .catch(function () { /* the grid shows on the next visit */ })
      .then(function () { section.dataset.state = state; });
  }

  function poll() {
    fetch(msg.statusUrl, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        show(status);
        if (busy(status.state)) setTimeout(poll, POLL_MS);
      })
      .catch(function () { setTimeout(poll, POLL_MS * 5); });
  }
  poll();
})();
