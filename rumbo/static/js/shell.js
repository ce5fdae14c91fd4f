// The navigation drawer on small screens.
(function () {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("sidenav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", function () {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
