// Record lists, quicker with JavaScript: "Add" opens the record's form in a panel under the
// list and saves it without leaving the page; the list is then replaced by the new one and
// the keyboard focus goes to the added record. Without this file (or when a request fails)
// the link and the form work as ordinary pages (belong/views/records.py).
(() => {
  if (window.belongRecordLists) return;
  window.belongRecordLists = true;
  const PANEL = { "X-Belong-Panel": "1" };

  function announce(text) {
    let live = document.getElementById("records-live");
    if (!live) {
      live = document.createElement("div");
      live.id = "records-live";
      live.className = "visually-hidden";
      live.setAttribute("role", "status");
      document.body.append(live);
    }
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 50);
  }

  function focusIn(panel) {
    const target = panel.querySelector("#error-summary")
      || panel.querySelector("input:not([type=hidden]), select, textarea");
    if (target) target.focus();
  }

  function close(panel, link) {
    panel.remove();
    link.setAttribute("aria-expanded", "false");
    link.focus();
  }

  function hook(list, panel, link) {
    const form = panel.querySelector("form");
    if (!form) return;
    const cancel = panel.querySelector("[data-record-cancel]");
    if (cancel) cancel.addEventListener("click", (event) => { event.preventDefault(); close(panel, link); });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); close(panel, link); }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submitter = event.submitter;
      const data = new FormData(form, submitter);
      let response;
      try {
        response = await fetch(form.getAttribute("action"), {
          method: "POST", body: data, credentials: "same-origin", headers: PANEL,
        });
      } catch (error) {
        form.submit(); // the ordinary page shows what happened
        return;
      }
      if (response.status === 201) {
        const next = response.headers.get("X-Location");
        if (next) { window.location.href = next; return; }
        const key = response.headers.get("X-Record-Key");
        const holder = document.createElement("div");
        holder.innerHTML = await response.text();
        const fresh = holder.querySelector(".record-list");
        const message = holder.querySelector("[data-record-message]");
        if (!fresh) { window.location.reload(); return; }
        list.replaceWith(fresh);
        if (message) announce(message.textContent);
        const row = fresh.querySelector(`tr[data-record-key="${CSS.escape(key || "")}"] a`);
        (row || fresh.querySelector("a[data-record-add]") || fresh).focus();
      } else if (response.status === 422) {
        panel.innerHTML = await response.text();
        hook(list, panel, link);
        focusIn(panel);
      } else {
        form.submit();
      }
    });
  }

  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-record-add]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const list = link.closest(".record-list");
    if (!list) return;
    event.preventDefault();
    const open = list.querySelector(".record-panel");
    if (open) { focusIn(open); return; }
    let html;
    try {
      const response = await fetch(link.href, { credentials: "same-origin", headers: PANEL });
      if (!response.ok) throw new Error(String(response.status));
      html = await response.text();
    } catch (error) {
      window.location.href = link.href;
      return;
    }
    const panel = document.createElement("section");
    panel.className = "record-panel";
    panel.id = `panel-${list.id}`;
    panel.innerHTML = html;
    const heading = panel.querySelector(".record-panel-title");
    if (heading) {
      heading.id = `${panel.id}-title`;
      panel.setAttribute("aria-labelledby", heading.id);
    }
    link.closest("p").after(panel);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", panel.id);
    hook(list, panel, link);
    focusIn(panel);
  });
})();
