// "Share" on the order page: sends the confirmation PDF through the phone's share sheet
// (WhatsApp, e-mail…) where the browser can share files; elsewhere the PDF link stays.
(function () {
  "use strict";
  const button = document.querySelector("[data-share-pdf]");
  if (!button || !navigator.canShare) return;
  const probe = new File(["%PDF"], "probe.pdf", { type: "application/pdf" });
  if (!navigator.canShare({ files: [probe] })) return;
  button.hidden = false;
  button.addEventListener("click", async function () {
    const response = await fetch(button.dataset.sharePdf, { credentials: "same-origin" });
    if (!response.ok) return;
    const file = new File([await response.blob()], button.dataset.filename, { type: "application/pdf" });
    try {
      await navigator.share({ files: [file], title: button.dataset.title });
    } catch (error) { /* the rep closed the share sheet */ }
  });
})();
