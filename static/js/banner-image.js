// The banner form's image: uploaded as soon as it is chosen (POST /api/images), so the live
// preview shows it and the form later sends only its id. Without this file the image goes
// with the form, which keeps it (image_id) through a refusal all the same.
(function () {
  "use strict";
  var script = document.currentScript;
  var msg = script ? script.dataset : {};
  var form = document.getElementById("banner-form");
  var input = document.getElementById("image");
  var id = document.getElementById("image_id");
  var kept = document.getElementById("image-kept");
  var picture = document.getElementById("image-kept-picture");
  var remove = document.getElementById("image_remove");
  if (!form || !input || !id || !window.fetch || !window.FormData) return;

  var field = input.closest(".field");
  var status = document.createElement("p");
  status.className = "hint";
  status.id = "image-status";
  status.setAttribute("role", "status");
  field.appendChild(status);

  function say(text, error) {
    status.textContent = text;
    status.classList.toggle("error", !!error);
    field.classList.toggle("has-error", !!error);
  }

  input.addEventListener("change", function (event) {
    event.stopPropagation();   // the preview waits for the id, not the file
    var file = input.files && input.files[0];
    if (!file) return;
    var body = new FormData();
    body.append("image", file);
    say(msg.msgUploading || "…");
    fetch(script.dataset.uploadUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          // A refusal says why in the page's language in `message` (`error` is English); a
          // file over the size limit is refused before the app reads it (even by nginx).
          if (response.status === 413) answer.message = msg.msgTooLarge.replace("{name}", file.name);
          if (!response.ok) throw answer;
          return answer;
        });
      })
      .then(function (answer) {
        id.value = answer.id;
        picture.src = answer.url;
        kept.hidden = false;
        remove.checked = false;
        input.value = "";          // sent once: the form carries the id from now on
        say("");
        id.dispatchEvent(new Event("change", { bubbles: true }));   // the preview follows
      })
      .catch(function (answer) {
        input.value = "";
        say((answer && (answer.message || answer.error)) || msg.msgFailed || "", true);
      });
  });
})();
