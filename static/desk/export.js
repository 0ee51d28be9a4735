// The export page's "select all" toggle, bound here instead of an inline handler the
// Content-Security-Policy blocks (django-import-export's template writes onchange="…").
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});
