// A version's page: comment on a place of the document without leaving the page, and quote
// the text selected in the document. Progressive enhancement only: without this file each
// "Comment" link opens the page's comment form with its place chosen.
document.addEventListener("DOMContentLoaded", () => {
  const doc = document.querySelector(".doc-view[data-comment-url]");
  const template = document.getElementById("doc-comment-form");
  const status = document.getElementById("doc-status");
  const quoteBar = document.querySelector(".doc-quote-bar");
  const quoteButton = document.getElementById("doc-quote");
  if (!doc || !template) return;
  const links = () => Array.from(doc.querySelectorAll("a.doc-comment"));
  let opened = 0;

  const quoted = (text) => text.trim().split(/\r?\n/).map((line) => `> ${line}`).join("\n") + "\n\n";

  function openForm(link, quote) {
    const note = link.closest(".doc-note");
    let form = note.querySelector("form.doc-new-comment");
    if (!form) {
      form = template.content.firstElementChild.cloneNode(true);
      opened += 1;
      const id = `doc-comment-body-${opened}`;
      form.querySelector("textarea").id = id;
      form.querySelector("label").htmlFor = id;
      form.addEventListener("submit", (event) => submit(event, form, link));
      form.querySelector("[data-cancel]").addEventListener("click", () => {
        form.remove();
        link.focus();
      });
      note.appendChild(form);
    }
    form.elements.anchor.value = link.dataset.anchor;
    form.querySelector(".doc-place-name").textContent = link.dataset.label;
    const box = form.elements.body;
    if (quote) box.value = quoted(quote) + box.value;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  async function submit(event, form, link) {
    event.preventDefault();
    const error = form.querySelector(".field-error");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    let response;
    let data = {};
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (problem) {
      response = null;
    }
    button.disabled = false;
    if (response && response.status === 201) {
      form.insertAdjacentHTML("beforebegin", data.html);
      form.remove();
      status.textContent = data.message;
      const thread = document.getElementById(`thread-${data.id}`);
      if (thread) {
        thread.tabIndex = -1;
        thread.focus();
      }
      return;
    }
    error.textContent = (data.errors && data.errors.join(" ")) || form.dataset.failed || error.dataset.failed;
    error.hidden = false;
    form.elements.body.setAttribute("aria-invalid", "true");
    form.elements.body.focus();
  }

  doc.addEventListener("click", (event) => {
    const link = event.target.closest("a.doc-comment");
    if (!link || !doc.contains(link)) return;
    event.preventDefault();
    openForm(link, "");
  });

  // The place a selection is about: the question (or section) element around it that has a
  // "Comment" control, else the last control before it in the document.
  function placeOf(node) {
    const all = links();
    for (let el = node.nodeType === 1 ? node : node.parentElement; el && el !== doc; el = el.parentElement) {
      const match = el.id && el.id.match(/^(.+)--(.+)$/);
      if (match) {
        const link = all.find((l) => l.dataset.anchor === `${match[1]}:${match[2]}`);
        if (link) return link;
      }
    }
    let before = null;
    for (const link of all) {
      if (link.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) before = link;
    }
    return before || all[0];
  }

  let selected = null;
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    const text = selection && !selection.isCollapsed ? selection.toString().trim() : "";
    const node = text ? selection.anchorNode : null;
    const inDocument = node && doc.contains(node) && !(node.parentElement && node.parentElement.closest(".doc-note"));
    selected = inDocument ? { text, link: placeOf(node) } : null;
    if (quoteBar) quoteBar.hidden = !(selected && selected.link);
  });
  if (quoteButton) {
    quoteButton.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
    quoteButton.addEventListener("click", () => {
      if (!selected || !selected.link) return;
      const { text, link } = selected;
      quoteBar.hidden = true;
      const list = link.closest("details");
      if (list) list.open = true;
      openForm(link, text);
    });
  }
});
