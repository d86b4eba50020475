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

  // A "Copy" button beside a read-only field (shown only where the clipboard works).
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(() => {
        if (status) status.textContent = status.dataset.copied;
      }, () => { field.select(); });
    });
  });
  // A link to a folded policy area of the self-assessment opens it (the page works without:
  // the link still lands on the area's heading, which opens it when pressed).
  const openArea = (id) => {
    const area = id && document.getElementById(id);
    if (area && area.tagName === "DETAILS") area.open = true;
  };
  document.querySelectorAll(".areas-index a[href^='#']").forEach((link) => {
    link.addEventListener("click", () => openArea(link.getAttribute("href").slice(1)));
  });
  openArea(window.location.hash.slice(1));

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

  // Conditional questions and record fields (show_if in the template): a question appears
  // and disappears as the answer it depends on changes. The server decides the same on
  // saving (belong/templating/conditions.py); a hidden question's answer is kept, never
  // cleared. A form's fields are named with its prefix: q_ on a step, f_ on a record.
  const conditionalForms = [document.getElementById("step-form"),
    ...document.querySelectorAll("form[data-conditions]")];
  conditionalForms.filter((form) => form).forEach((form) => {
    const conditional = form.querySelectorAll("[data-show-if]");
    if (!conditional.length) return;
    const prefix = form.dataset.conditions || "q_";
    const given = (id) => {
      let fields = form.querySelectorAll(`[name="${prefix}${id}"], [name="${prefix}${id}-choice"]`);
      if (!fields.length) fields = form.querySelectorAll(`[name^="${prefix}${id}-"]`);
      return Array.from(fields)
        .filter((f) => !["radio", "checkbox"].includes(f.type) || f.checked)
        .map((f) => f.value.trim())
        .filter((v) => v !== "");
    };
    const holds = (c) => {
      if (c.all) return c.all.every(holds);
      if (c.any) return c.any.some(holds);
      const section = document.getElementById(`q-${c.question}`);
      if (section && section.hidden) return false;
      const values = given(c.question);
      if ("answered" in c) return (values.length > 0) === c.answered;
      if ("equals" in c) return values.length === 1 && values[0] === c.equals;
      if ("is_one_of" in c) return values.length === 1 && c.is_one_of.includes(values[0]);
      return values.includes(c.contains) || (values.length === 1 &&
        values[0].toLowerCase().includes(c.contains.toLowerCase()));
    };
    const update = () => conditional.forEach((section) => {
      section.hidden = !holds(JSON.parse(section.dataset.showIf));
    });
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });
});
