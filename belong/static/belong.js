// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) summary.focus();

  // A link in the error summary puts the keyboard focus in the field, not only the scroll.
  document.querySelectorAll(".error-summary a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      const field = target.matches("input, select, textarea, button")
        ? target
        : target.querySelector("input:not([type=hidden]), select, textarea");
      if (!field) return;
      event.preventDefault();
      (target.closest(".field, .question") || target).scrollIntoView();
      field.focus();
    });
  });

  // Wide data tables scroll inside their own keyboard-reachable box on small screens,
  // instead of the whole page scrolling sideways.
  document.querySelectorAll("table.data").forEach((table) => {
    if (table.closest(".table-scroll")) return;
    const box = document.createElement("div");
    box.className = "table-scroll";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    const caption = table.querySelector("caption");
    const heading = table.previousElementSibling;
    const name = (caption || (heading && /^H[2-6]$/.test(heading.tagName) ? heading : null));
    box.setAttribute("aria-label", name ? name.textContent.trim() : document.title);
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
});
