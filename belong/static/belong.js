// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) summary.focus();
});
