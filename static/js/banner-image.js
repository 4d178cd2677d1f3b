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
  // Progress is a quiet hint; a refusal is an error like the form's others: red, tied to the
  // field, and read out at once (a live region exists before its text, or it is not announced).
  var status = line("image-status", "hint", "status");
  var problem = line("image-refusal", "errors", "alert");
  input.setAttribute("aria-describedby",
    ((input.getAttribute("aria-describedby") || "") + " image-refusal").trim());

  function line(id, className, role) {
    var p = document.createElement("p");
    p.id = id;
    p.className = className;
    p.setAttribute("role", role);
    field.appendChild(p);
    return p;
  }

  function say(text, error) {
    status.textContent = error ? "" : text;
    problem.textContent = error ? text : "";
    field.classList.toggle("has-error", !!error);
    if (error) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
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
