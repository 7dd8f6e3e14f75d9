// Vigil: keyboard triage in the alarm queue, streamed chat answers. Plain JS, no build.
(function () {
  "use strict";
  const typing = (el) => el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);

  // -- alarm queue: j/k select, c confirm, o overrule (type the reason, Enter), e escalate
  function rows() { return Array.from(document.querySelectorAll("#alarm-rows [data-alarm]")); }
  function select(row) {
    rows().forEach((r) => r.setAttribute("aria-selected", r === row ? "true" : "false"));
    if (row) { row.focus(); row.scrollIntoView({ block: "nearest" }); htmx.trigger(row, "click"); }
  }
  function press(decision) {
    const form = document.querySelector("#alarm-detail .review-form");
    if (!form) return;
    const reason = form.querySelector("input[name=reason]");
    if (decision === "overrule" && !reason.value.trim()) {
      form.dataset.pending = "overrule";
      reason.focus();
      return;
    }
    form.querySelector(`button[value=${decision}]`).click();
  }
  document.addEventListener("keydown", (event) => {
    if (!document.getElementById("alarm-rows")) return;
    const target = event.target;
    if (typing(target)) {
      if (event.key === "Enter" && target.name === "reason") {
        const form = target.form;
        event.preventDefault();
        form.querySelector(`button[value=${form.dataset.pending || "overrule"}]`).click();
      } else if (event.key === "Escape") { target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const all = rows();
    const current = all.findIndex((r) => r.getAttribute("aria-selected") === "true");
    const keys = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
    if (event.key in keys) {
      event.preventDefault();
      const next = Math.min(all.length - 1, Math.max(0, current + keys[event.key]));
      select(all[current < 0 ? 0 : next]);
    } else if (event.key === "c") { press("confirm"); }
    else if (event.key === "o") { event.preventDefault(); press("overrule"); }
    else if (event.key === "e") { press("escalate"); }
  });

  // -- chat: POST /api/chat and read its server-sent events as they stream
  async function ask(form) {
    const log = document.getElementById("chat-log");
    const question = form.question.value.trim();
    if (!question) return;
    const turn = document.createElement("article");
    turn.className = "turn";
    const q = document.createElement("p"); q.className = "q"; q.textContent = question;
    const a = document.createElement("p"); a.className = "a"; a.setAttribute("aria-live", "polite");
    const frames = document.createElement("div"); frames.className = "evidence";
    turn.append(q, a, frames); log.append(turn);
    form.question.value = "";
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": document.body.dataset.csrf },
      body: JSON.stringify({ question, conversation_id: form.dataset.conversation || null }),
    });
    if (!response.ok) { a.textContent = (await response.json()).detail; a.classList.add("error"); return; }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
        const kind = (block.match(/^event: (.*)$/m) || [])[1];
        const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        if (!kind || !data) continue;
        const payload = JSON.parse(data);
        if (kind === "status" && payload.conversation_id) form.dataset.conversation = payload.conversation_id;
        else if (kind === "token") a.textContent += payload.text;
        else if (kind === "retract") a.textContent = "";  // written again in the question's language
        else if (kind === "error") { a.textContent = payload.message; a.classList.add("error"); }
        else if (kind === "answer") {
          // the cited frames show below as thumbnails: their ids leave the sentence
          a.textContent = payload.text.replace(/\s*\[[^\[\]]{1,200}\]/g, "");
          for (const f of payload.citations) {
            const link = document.createElement("a");
            link.href = `/frames/${encodeURIComponent(f.frame_id)}`;
            link.className = "cited";
            const img = document.createElement("img");
            img.src = `/api/thumbnails/${f.thumbnail}`;
            img.alt = `${f.camera} ${f.time}: ${f.caption}`;
            const cap = document.createElement("span");
            cap.textContent = `${f.camera} · ${f.time.slice(11, 19)}`;
            link.append(img, cap); frames.append(link);
          }
        }
      }
    }
  }
  document.addEventListener("submit", (event) => {
    if (event.target.id === "chat-form") { event.preventDefault(); ask(event.target); }
  });
})();
