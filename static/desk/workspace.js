// The page workspace, made quicker where JavaScript runs; everything works without it.
// - a form or button with data-confirm asks first, then posts the confirmation itself;
// - a paragraph's tool button warns before it drops text typed but not saved;
// - after a button posts, the page comes back where it was (both panes), not at the item's top.
(function () {
  "use strict";
  var KEY = "desk-workspace-scroll";

  function remember() {
    var raw = document.querySelector(".ws-raw");
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        path: location.pathname, y: window.scrollY, raw: raw ? raw.scrollTop : 0
      }));
    } catch (e) { /* storage off: the anchor still brings the editor back to the item */ }
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!saved || saved.path !== location.pathname) { return; }
    window.scrollTo(0, saved.y);
    var raw = document.querySelector(".ws-raw");
    if (raw) { raw.scrollTop = saved.raw; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest("#workspace")) { return; }
    var text = form.querySelector("textarea[name=text]");
    var save = event.submitter && !event.submitter.hasAttribute("formaction");
    if (text && !save && text.value !== text.defaultValue &&
        !window.confirm("这一段改过的文字还没保存，继续会丢掉这些改动。继续吗？")) {
      event.preventDefault();
      return;
    }
    var question = (event.submitter && event.submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (question) {
      if (!window.confirm(question)) { event.preventDefault(); return; }
      var confirm = document.createElement("input");
      confirm.type = "hidden";
      confirm.name = "confirm";
      confirm.value = "1";
      form.appendChild(confirm);
    }
    remember();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
