// podium.js: the only script of the site. On a program page, the zone field
// shows the zone the times are in; where the viewer's own zone differs, a
// button offers to show the times in it (the page works the same without it).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("tz");
  if (!input || !input.form) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || zone === input.value) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "use-mine";
  button.textContent = (input.dataset.useMine || "Use my time zone") + " (" + zone + ")";
  button.addEventListener("click", function () {
    input.value = zone;
    input.form.submit();
  });
  input.form.appendChild(button);
});
