// podium.js: the only script of the site. When a program page is shown
// without ?tz=, it preselects the viewer's own time zone in the zone picker
// (the page works the same without it).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("tz");
  if (!input || new URLSearchParams(window.location.search).has("tz")) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (zone && zone !== input.dataset.programZone) {
    input.value = zone;
  }
});
