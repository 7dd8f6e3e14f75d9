// Vigil: keyboard triage in the alarm queue, streamed chat answers, live view. Plain JS, no build.
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
    if (event.key === "Enter" && target.matches && target.matches("#alarm-rows [data-alarm]")) {
      htmx.trigger(target, "click");  // open the focused alarm
      return;
    }
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

  // -- the inbox: the shown alarm stays selected when the rows are sent again; after a
  // decision the next alarm opens; new alarms count in the tab title and chime (mutable).
  const MUTE_KEY = "vigil-alarm-sound-off";
  const baseTitle = document.title;
  let newSeen = null;
  function shownAlarm() {
    const shown = document.querySelector("#alarm-detail article[data-alarm]");
    return shown && shown.dataset.alarm;
  }
  function chime() {
    if (localStorage.getItem(MUTE_KEY) === "1") return;
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880; gain.gain.value = 0.15;
      tone.connect(gain).connect(audio.destination);
      tone.start(); tone.stop(audio.currentTime + 0.18);
    } catch (error) { /* no sound here */ }
  }
  function rowsChanged() {
    const shown = shownAlarm();
    rows().forEach((r) => r.setAttribute("aria-selected", r.dataset.alarm === shown ? "true" : "false"));
    const fresh = document.querySelectorAll("#alarm-rows [data-handling=new]").length;
    document.title = fresh ? `(${fresh}) ${baseTitle}` : baseTitle;
    if (newSeen !== null && fresh > newSeen) chime();
    newSeen = fresh;
  }
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target.id === "alarm-rows") rowsChanged();
    if (target.id === "alarm-detail" && event.detail.requestConfig &&
        /\/review$/.test(event.detail.requestConfig.path) && target.querySelector(".review")) {
      const all = rows();
      const at = all.findIndex((r) => r.dataset.alarm === shownAlarm());
      const next = all.slice(at + 1).concat(all.slice(0, Math.max(at, 0)))
        .find((r) => r.dataset.handling !== "closed" && r.dataset.alarm !== shownAlarm());
      if (next) select(next);
    }
  });
  document.body.addEventListener("htmx:sseMessage", rowsChanged);
  const mute = document.querySelector("[data-mute]");
  if (mute) {
    const show = () => {
      const off = localStorage.getItem(MUTE_KEY) === "1";
      mute.setAttribute("aria-pressed", off ? "true" : "false");
    };
    mute.addEventListener("click", () => {
      localStorage.setItem(MUTE_KEY, localStorage.getItem(MUTE_KEY) === "1" ? "0" : "1");
      show();
    });
    show();
  }
  if (document.getElementById("alarm-rows")) rowsChanged();

  // -- chat: POST /api/chat and read its server-sent events as they come. What the model
  // writes is only shown once checked (the `answer` event); until then the steps show.
  function step(steps, text) {
    const li = document.createElement("li");
    li.textContent = text;
    steps.append(li);
    return li;
  }
  async function ask(form) {
    const log = document.getElementById("chat-log");
    const words = log.dataset;
    const question = form.question.value.trim();
    const button = form.querySelector("button[type=submit]");
    if (!question || button.disabled) return;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    const turn = document.createElement("article");
    turn.className = "turn";
    const q = document.createElement("p"); q.className = "q"; q.textContent = question;
    const steps = document.createElement("ol"); steps.className = "steps-taken";
    const a = document.createElement("p"); a.className = "a"; a.setAttribute("aria-live", "polite");
    const frames = document.createElement("div"); frames.className = "evidence";
    turn.append(q, steps, a, frames); log.append(turn);
    form.question.value = "";
    step(steps, words.preparing);
    let writing = null;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": document.body.dataset.csrf },
        body: JSON.stringify({ question, conversation_id: form.dataset.conversation || null }),
      });
      if (!response.ok) {
        const detail = (await response.json()).detail;
        a.textContent = typeof detail === "string" ? detail : words.failed;
        a.classList.add("error");
        return;
      }
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
          else if (kind === "tool") {
            const args = payload.arguments || {};
            const about = [args.query, args.camera].filter(Boolean).join(" · ");
            step(steps, (words[payload.name] || payload.name) + (about ? `: ${about}` : ""));
          } else if (kind === "progress") {
            const text = payload.stage === "translating" ? words.translating : words.writing;
            if (!writing || payload.stage === "translating") writing = step(steps, text);
            if (payload.chars) writing.textContent = `${text} (${payload.chars})`;
          } else if (kind === "error") { a.textContent = payload.message; a.classList.add("error"); }
          else if (kind === "answer") {
            steps.classList.add("done");
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
    } catch (error) {
      a.textContent = words.failed; a.classList.add("error");
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
      form.question.focus();
    }
  }
  // -- live view: the camera's H.264 as fragmented MP4, fed to Media Source Extensions.
  // The picture is kept within about half a second of the newest frame received.
  const LIVE_LAG_S = 0.5;
  const LIVE_KEEP_S = 20;
  function playLive(video, texts) {
    const status = video.closest("figure").querySelector("[data-live-status]");
    const say = (text) => { status.textContent = text; status.hidden = !text; };
    async function run() {
      say(texts.connecting);
      let response;
      try { response = await fetch(video.dataset.live, { credentials: "same-origin" }); }
      catch (error) { return again(); }
      if (!response.ok) {
        let detail = "";
        try { detail = (await response.json()).detail; } catch (error) { /* not JSON */ }
        if (response.status === 502 || response.status === 503) return again();
        say(`${texts.refused} ${typeof detail === "string" ? detail : response.status}`);
        return;
      }
      const type = `video/mp4; codecs="${response.headers.get("X-Codec")}"`;
      if (!window.MediaSource || !MediaSource.isTypeSupported(type)) { say(texts.unsupported); return; }
      const source = new MediaSource();
      video.src = URL.createObjectURL(source);
      await new Promise((ready) => source.addEventListener("sourceopen", ready, { once: true }));
      const buffer = source.addSourceBuffer(type);
      const waiting = [];
      const feed = () => {
        if (buffer.updating || source.readyState !== "open") return;
        const ranges = video.buffered;
        if (ranges.length) {
          const end = ranges.end(ranges.length - 1);
          if (end - video.currentTime > LIVE_LAG_S) video.currentTime = end - 0.05;
          if (video.currentTime - ranges.start(0) > 2 * LIVE_KEEP_S) {
            buffer.remove(ranges.start(0), video.currentTime - LIVE_KEEP_S);
            return;
          }
        }
        if (waiting.length) buffer.appendBuffer(waiting.shift());
      };
      buffer.addEventListener("updateend", feed);
      video.addEventListener("playing", () => { say(""); wait = 2000; }, { once: true });
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          waiting.push(value);
          feed();
          if (video.paused) video.play().catch(() => {});
        }
      } catch (error) { /* the stream dropped */ }
      URL.revokeObjectURL(video.src);
      again();
    }
    let wait = 2000;  // doubled after each failed try, up to 30 s; back to 2 s once playing
    function again() { say(texts.lost); setTimeout(run, wait); wait = Math.min(2 * wait, 30000); }
    run();
  }
  document.querySelectorAll("[data-live-texts]").forEach((grid) => {
    const texts = JSON.parse(grid.dataset.liveTexts);
    grid.querySelectorAll("video[data-live]").forEach((video) => playLive(video, texts));
  });
  // the language menu applies at once (no inline handlers: the page's policy forbids them)
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
  });
  document.addEventListener("submit", (event) => {
    if (event.target.id === "chat-form") { event.preventDefault(); ask(event.target); }
  });
})();
