// The navigation drawer on small screens.
(function () {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("sidenav");
  if (!toggle || !nav) return;
  function setOpen(open) {
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function (event) {
    event.stopPropagation();
    setOpen(!nav.classList.contains("open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });
  document.addEventListener("click", function (event) {
    if (nav.classList.contains("open") && !nav.contains(event.target)) setOpen(false);
  });
})();
