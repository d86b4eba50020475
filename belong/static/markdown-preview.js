// Preview of a long text on the step form, rendered by the server (the document's own Markdown
// renderer and sanitizer) and shown under its field. Nothing is saved. Without this file the
// Preview button sends the form, and the step page comes back with the preview and the text.
(() => {
  "use strict";

  function start() {
    const form = document.getElementById("step-form");
    if (!form || !window.fetch || !window.FormData) return;
    form.querySelectorAll(".markdown-help").forEach((help) => {
      const field = document.getElementById(help.dataset.field);
      const button = help.querySelector("button[value^='preview:']");
      const output = help.querySelector(".markdown-preview");
      const hint = help.querySelector(".hint");
      if (!field || !button || !output) return;
      if (hint && hint.id) {
        const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (!described.includes(hint.id)) described.push(hint.id);
        field.setAttribute("aria-describedby", described.join(" "));
      }
      button.addEventListener("click", (event) => {
        event.preventDefault();
        if (event.detail === 0 && document.activeElement !== button) {
          // Enter in a one-line field "clicks" the form's first button: keep what it did
          // before the Preview buttons came first, and send the form with its own default.
          const fallback = Array.from(form.querySelectorAll("[type=submit]"))
            .find((other) => !(other.value || "").startsWith("preview:"));
          if (fallback) form.requestSubmit(fallback);
          return;
        }
        preview(help, field, output);
      });
    });
  }

  function csrfToken(form) {
    const token = form.elements.namedItem("csrf_token");
    return token ? token.value : "";
  }

  function show(output, html, message) {
    const text = output.dataset;
    output.replaceChildren();
    const title = document.createElement("p");
    title.className = "preview-title";
    title.textContent = text.title;
    const body = document.createElement("div");
    body.className = "preview-body";
    if (html) {
      body.innerHTML = html; // sanitized by the server with the document's allow-list
    } else {
      const note = document.createElement("p");
      note.className = "unanswered";
      note.textContent = message;
      body.appendChild(note);
    }
    output.append(title, body);
  }

  async function preview(help, field, output) {
    const body = new FormData();
    body.append("question", help.dataset.question);
    body.append("text", field.value);
    try {
      const response = await fetch(help.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrfToken(field.form), "Accept": "application/json" },
      });
      const json = (response.headers.get("Content-Type") || "").includes("application/json");
      const data = json ? await response.json() : null;
      if (response.ok && data) show(output, data.empty ? "" : data.html, output.dataset.empty);
      else show(output, "", (data && data.message) || output.dataset.failed);
    } catch (error) {
      show(output, "", output.dataset.failed);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
