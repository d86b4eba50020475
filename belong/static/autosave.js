// Autosave for step forms: saves about 1.5 s after typing stops, never over newer text.
// Progressive enhancement: without this file the Save buttons do the same work.
(() => {
  "use strict";
  const DELAY = 1500;

  function start() {
    const form = document.getElementById("step-form");
    const status = document.getElementById("autosave-status");
    if (!form || !status || !window.fetch || !window.FormData) return;
    const text = status.dataset;
    const paused = new Set(); // questions someone else changed: never autosaved again here
    let timer = null;
    let inFlight = false;
    let again = false;
    let submitting = false;

    // The form as text, without the flag below: compared to know if anything is unsaved.
    function snapshot() {
      const params = new URLSearchParams(new FormData(form));
      params.delete("autosaved");
      return params.toString();
    }
    let savedState = snapshot();
    // A page shown again with errors, a conflict or kept text holds unsaved text; answers in
    // conflict are saved only by the Save button, after the person has compared them.
    if (text.unsavedOnLoad) savedState = "";
    (text.paused || "").split(" ").filter(Boolean).forEach((q) => paused.add(q));

    function show(message, problem) {
      status.textContent = message;
      status.classList.toggle("is-problem", Boolean(problem));
    }

    // Paused answers hold text that is not saved until the person presses Save.
    let pausedMessage = "";
    function dirty() {
      return paused.size > 0 || snapshot() !== savedState;
    }

    // Tells the Save button's page that autosave already stored the text.
    function markAutosaved() {
      if (form.elements.namedItem("autosaved")) return;
      const flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "autosaved";
      flag.value = "1";
      form.appendChild(flag);
    }

    function setVersions(versions) {
      Object.entries(versions || {}).forEach(([question, version]) => {
        const field = form.elements.namedItem("v_" + question);
        if (field) field.value = String(version);
      });
    }

    function csrfToken() {
      const field = form.elements.namedItem("csrf_token");
      return field ? field.value : "";
    }

    async function save() {
      timer = null;
      if (inFlight) { again = true; return; }
      if (!dirty()) {
        // Typed back to what is saved: nothing to send, and nothing unsaved any more.
        if (!pausedMessage && status.textContent === text.unsaved) show(text.saved, false);
        return;
      }
      inFlight = true;
      const body = new FormData(form);
      paused.forEach((q) => body.append("_skip", q));
      const sent = snapshot();
      show(text.saving, false);
      try {
        const response = await fetch(text.url, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          redirect: "manual",
          headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        });
        let data = null;
        if ((response.headers.get("Content-Type") || "").includes("application/json")) {
          data = await response.json();
        }
        if (response.ok && data) {
          setVersions(data.versions);
          if ((data.saved || []).length) markAutosaved();
          savedState = snapshotMatching(sent);
          if (pausedMessage) show(pausedMessage, true);
          else show(text.saved + " " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), false);
        } else if (response.status === 409 && data) {
          setVersions(data.versions);
          const names = [];
          (data.conflicts || []).forEach((c) => {
            paused.add(c.question);
            names.push(c.label);
            markField(c.question);
          });
          savedState = snapshotMatching(sent);
          pausedMessage = text.conflict.replace("{label}", names.join("”, “"));
          show(pausedMessage, true);
        } else if (response.status === 413) {
          show(text.toolarge, true);
        } else if (data && data.message) {
          show(text.failed + ": " + data.message, true);
        } else {
          show(text.failed + ".", true);
        }
      } catch (error) {
        show(text.offline, true);
      } finally {
        inFlight = false;
        if (again) { again = false; schedule(); }
      }
    }

    // At the field itself: what happened, and the button that shows both texts to compare.
    function markField(question) {
      const section = document.getElementById("q-" + question);
      if (!section || section.querySelector(".field-conflict")) return;
      const note = document.createElement("p");
      note.className = "field-conflict";
      note.id = "field-conflict-" + question;
      const message = document.createElement("strong");
      message.textContent = text.fieldConflict;
      const compare = document.createElement("button");
      compare.type = "submit";
      compare.name = "action";
      compare.value = "save";
      compare.className = "button-secondary";
      compare.textContent = text.compare;
      note.append(message, " ", compare);
      section.prepend(note);
    }

    // What was sent, with the versions the server gave back: typing since then stays dirty.
    function snapshotMatching(sent) {
      const params = new URLSearchParams(sent);
      Array.from(params.keys()).forEach((key) => {
        if (key.startsWith("v_")) {
          const field = form.elements.namedItem(key);
          if (field) params.set(key, field.value);
        }
      });
      return params.toString();
    }

    function schedule() {
      if (timer) clearTimeout(timer);
      if (dirty() && !pausedMessage) show(text.unsaved, false);
      timer = setTimeout(save, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", () => { submitting = true; if (timer) clearTimeout(timer); });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || !dirty()) return undefined;
      event.preventDefault();
      event.returnValue = "";
      return "";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
