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

// The article form of the back office: the preview follows the text as it
// is typed (the server renders it as the public page will; without the
// script, the Preview button does the same).
document.addEventListener("DOMContentLoaded", function () {
  var section = document.querySelector("[data-preview-url]");
  var form = document.querySelector(".article-form");
  var body = form && form.elements.body_markdown;
  var out = document.getElementById("preview");
  if (!section || !body || !out || !window.fetch) {
    return;
  }
  var timer = null;
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new URLSearchParams();
      data.set("csrf", form.elements.csrf.value);
      data.set("body_markdown", body.value);
      if (section.dataset.previewKey) {
        data.set("key", section.dataset.previewKey);
      }
      fetch(section.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : null; })
        .then(function (html) {
          if (html !== null) {
            out.innerHTML = html;
          }
        })
        .catch(function () {});
    }, 400);
  });
});
