// Siyada web chat: pick an agent, see its starter questions, stream the answer, show citations and
// the detected language of each message. Plain browser JavaScript, no dependencies, no build step.
"use strict";

const LANG_NAMES = {
  ary_Arab: "Darija · الدارجة", ary_Latn: "Darija (Arabizi)", arb_Arab: "Arabe standard · العربية",
  fra_Latn: "Français", eng_Latn: "English", spa_Latn: "Español", zgh_Tfng: "Tamazight · ⵜⴰⵎⴰⵣⵉⵖⵜ",
  ber_Latn: "Tamazight (latin)", und: "langue inconnue",
};
const HTML_LANG = { ary: "ary", arb: "ar", fra: "fr", eng: "en", spa: "es", zgh: "zgh", ber: "ber" };

const $ = (id) => document.getElementById(id);
const state = { agents: [], history: [], busy: false };

function scriptOf(text) {
  if (/[\u2D30-\u2D7F]/.test(text)) return "Tfng";
  if (/[\u0600-\u06FF\u0750-\u077F]/.test(text)) return "Arab";
  return "Latn";
}

function setLanguage(node, label) {
  const badge = node.querySelector(".lang");
  badge.textContent = LANG_NAMES[label] || label;
  badge.dataset.label = label;
  const code = HTML_LANG[(label || "").split("_")[0]];
  if (code) node.lang = code;
}

function addMessage(role, text) {
  const node = document.createElement("article");
  node.className = "msg " + role;
  node.dir = "auto";
  const body = document.createElement("div");
  body.className = "text";
  body.dir = "auto";
  body.textContent = text;
  const badge = document.createElement("span");
  badge.className = "lang";
  node.append(body, badge);
  node.dataset.script = scriptOf(text);
  $("log").append(node);
  node.scrollIntoView({ block: "end" });
  return node;
}

// Render "[n]" markers as links to the citation list, everything else as plain text.
function renderText(node, text, citations) {
  const body = node.querySelector(".text");
  body.textContent = "";
  const known = new Set((citations || []).map((c) => c.index));
  let last = 0;
  for (const m of text.matchAll(/\[(\d{1,3})\]/g)) {
    body.append(document.createTextNode(text.slice(last, m.index)));
    const n = Number(m[1]);
    if (known.has(n)) {
      const a = document.createElement("a");
      a.className = "marker";
      a.href = "#" + node.id + "-c" + n;
      a.textContent = "[" + n + "]";
      body.append(a);
    } else {
      body.append(document.createTextNode(m[0]));
    }
    last = m.index + m[0].length;
  }
  body.append(document.createTextNode(text.slice(last)));
  node.dataset.script = scriptOf(text);
}

function renderCitations(node, citations) {
  if (!citations || !citations.length) return;
  const list = document.createElement("ol");
  list.className = "citations";
  for (const c of citations) {
    const li = document.createElement("li");
    li.id = node.id + "-c" + c.index;
    li.dataset.document = c.document_id;
    const src = document.createElement("span");
    src.className = "source";
    const file = (c.source || "").split("/").pop();
    src.textContent = "[" + c.index + "] " + (c.title || c.document_id) + (file ? " — " + file : "");
    const snip = document.createElement("span");
    snip.className = "snippet";
    snip.dir = "auto";
    snip.textContent = c.snippet;
    li.append(src, snip);
    list.append(li);
  }
  node.append(list);
}

async function loadAgents() {
  const res = await fetch("/v1/agents");
  if (!res.ok) throw new Error("cannot list agents (" + res.status + ")");
  state.agents = (await res.json()).data;
  const select = $("agent");
  select.textContent = "";
  for (const a of state.agents) {
    const opt = document.createElement("option");
    opt.value = a.name;
    opt.textContent = a.name;
    select.append(opt);
  }
  const wanted = new URLSearchParams(location.search).get("agent");
  if (wanted && state.agents.some((a) => a.name === wanted)) select.value = wanted;
  showAgent();
}

function showAgent() {
  const agent = state.agents.find((a) => a.name === $("agent").value);
  state.history = [];
  $("log").textContent = "";
  $("description").textContent = agent ? agent.description : "";
  const box = $("examples");
  box.textContent = "";
  for (const q of (agent && agent.examples) || []) {
    const b = document.createElement("button");
    b.type = "button";
    b.dir = "auto";
    b.textContent = q;
    b.addEventListener("click", () => ask(q));
    box.append(b);
  }
}

// Read an SSE stream of chat.completion.chunk objects, calling onEvent for each JSON payload.
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const event = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return;
        onEvent(JSON.parse(data));
      }
    }
  }
}

async function ask(question) {
  question = question.trim();
  if (!question || state.busy) return;
  state.busy = true;
  $("send").disabled = true;
  $("status").textContent = "…";
  $("status").classList.remove("error");
  const user = addMessage("user", question);
  user.id = "m" + $("log").children.length;
  state.history.push({ role: "user", content: question });
  const reply = addMessage("assistant", "");
  reply.id = "m" + $("log").children.length;
  let text = "";
  try {
    const res = await fetch("/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model: "agent:" + $("agent").value, stream: true, messages: state.history }),
    });
    if (!res.ok) {
      const err = await res.json().catch(() => ({}));
      throw new Error((err.error && err.error.message) || "HTTP " + res.status);
    }
    await readEvents(res, (chunk) => {
      const choice = chunk.choices && chunk.choices[0];
      if (choice && choice.delta && choice.delta.content) {
        text += choice.delta.content;
        renderText(reply, text, []);
      }
      if (chunk.citations) {
        renderText(reply, text, chunk.citations);
        renderCitations(reply, chunk.citations);
      }
      if (chunk.siyada) {
        setLanguage(user, chunk.siyada.language);
        setLanguage(reply, chunk.siyada.answer_language || chunk.siyada.reply_language);
        reply.dataset.mode = chunk.siyada.mode;
      }
    });
    state.history.push({ role: "assistant", content: text });
    $("status").textContent = "";
  } catch (e) {
    reply.remove();
    $("status").textContent = "Erreur : " + e.message;
    $("status").classList.add("error");
  } finally {
    state.busy = false;
    $("send").disabled = false;
  }
}

$("agent").addEventListener("change", showAgent);
$("ask").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = $("question").value;
  $("question").value = "";
  ask(q);
});
$("question").addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey) {
    ev.preventDefault();
    $("ask").requestSubmit();
  }
});
loadAgents().catch((e) => {
  $("status").textContent = "Erreur : " + e.message;
  $("status").classList.add("error");
});
