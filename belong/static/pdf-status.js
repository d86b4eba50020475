// Polls a queued PDF's status and offers the download when it is ready.
// Without JavaScript the page refreshes itself (meta refresh in <noscript>) and has a
// "Check again" link.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("pdf-status");
  const text = document.getElementById("pdf-status-text");
  if (!box || !text) return;
  const template = (id) => document.getElementById(id).content.textContent.trim();
  let delay = 1000;
  const poll = async () => {
    let body;
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      body = await response.json();
    } catch (error) {
      body = { state: "waiting" };
    }
    if (body.state === "ready") {
      text.textContent = template("pdf-ready-text") + " ";
      const link = document.createElement("a");
      link.href = body.url;
      link.className = "button";
      link.textContent = template("pdf-ready-link");
      text.appendChild(link);
      document.getElementById("pdf-check-again").remove();
      link.focus();
      return;
    }
    if (body.state === "too_large" || body.state === "failed" || body.state === "unknown") {
      window.location.reload();  // the server explains what happened
      return;
    }
    delay = Math.min(delay * 1.5, 5000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
});
