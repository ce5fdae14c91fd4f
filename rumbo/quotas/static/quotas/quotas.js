// Quota plan forms: show the weights only for a blend, and the distribution only when the
// months follow one. Without JavaScript every field shows and the server checks them.
(function () {
  "use strict";
  function sync(form) {
    const method = form.querySelector("select[name=method]");
    const months = form.querySelector("select[name=months_by]");
    ["weight_forecast", "weight_potential", "weight_last_year"].forEach(function (name) {
      const field = form.querySelector("[name=" + name + "]");
      if (field && method) field.closest("label").hidden = method.value !== "blend";
    });
    const distribution = form.querySelector("[name=distribution]");
    if (distribution && months) distribution.closest("label").hidden = months.value !== "distribution";
  }
  document.querySelectorAll("form[data-new-plan], form[data-settings]").forEach(function (form) {
    form.addEventListener("change", function () { sync(form); });
    sync(form);
  });
})();
