// The banner page: Share (the picture to another app, where the browser can share files)
// and Copy link. (A banner made here joins "My banners": site.js.)
(function () {
  "use strict";
  var row = document.getElementById("share-row");
  var status = document.getElementById("share-status");
  if (!row) return;

  function say(message) { status.textContent = message; }

  function pictureFile() {
    return fetch(row.dataset.shareUrl)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.blob();
      })
      .then(function (blob) {
        return new File([blob], row.dataset.fileName, { type: "image/png" });
      });
  }

  function copyLink() {
    var done = function () { say(row.dataset.msgCopied); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(location.href).then(done, function () {
        say(location.href);   // the address to copy by hand
      });
    }
    say(location.href);
    return Promise.resolve();
  }

  var share = document.getElementById("share");
  var canShareFiles = typeof navigator.share === "function" && typeof navigator.canShare === "function";
  share.hidden = typeof navigator.share !== "function";
  share.addEventListener("click", function () {
    share.disabled = true;
    pictureFile()
      .then(function (file) {
        if (canShareFiles && navigator.canShare({ files: [file] })) {
          return navigator.share({ files: [file], title: row.dataset.title });
        }
        return navigator.share({ title: row.dataset.title, url: location.href });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;   // the person closed the sheet
        say(row.dataset.msgFailed);
      })
      .then(function () { share.disabled = false; });
  });
  document.getElementById("copy-link").addEventListener("click", copyLink);
  row.hidden = false;
})();
