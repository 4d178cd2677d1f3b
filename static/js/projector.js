// The projector view: a Full screen button (the Fullscreen API), and the screen kept awake
// while full screen (a laptop must not dim halfway through tracing a letter). Without this
// file the page is the banner on black, with a link back.
(function () {
  "use strict";
  var stage = document.getElementById("projector-stage");
  var button = document.getElementById("fullscreen");
  if (!stage || !document.fullscreenEnabled) return;   // e.g. an iPhone: the black page stands
  button.hidden = false;
  var awake = null;

  function keepAwake(on) {
    if (on && navigator.wakeLock) {
      navigator.wakeLock.request("screen").then(function (lock) { awake = lock; }, function () {});
    } else if (!on && awake) {
      awake.release();
      awake = null;
    }
  }
  button.addEventListener("click", function () {
    stage.requestFullscreen().catch(function () { /* refused: the page stays as it is */ });
  });
  // A tap or a click on the banner leaves full screen (so does Esc).
  stage.addEventListener("click", function () {
    if (document.fullscreenElement) document.exitFullscreen();
  });
  document.addEventListener("fullscreenchange", function () {
    keepAwake(!!document.fullscreenElement);
  });
})();
