// The search page: reads q, offset, since, until and exact from the URL, asks
// /search, and draws the hits. Document text only ever enters the page as
// text nodes (textContent, createTextNode); highlights are <mark> elements
// made with createElement. Nothing from a document is parsed as HTML.
"use strict";

const LIMIT = 10;
const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Text with [start, end) spans in <mark>. The offsets count code points (as
// Python does), not UTF-16 units, so the text is split into code points.
function highlighted(text, spans) {
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const [start, end] of spans) {
    if (start < last || end <= start) continue;
    frag.append(document.createTextNode(chars.slice(last, start).join("")));
    frag.append(el("mark", null, chars.slice(start, end).join("")));
    last = end;
  }
  frag.append(document.createTextNode(chars.slice(last).join("")));
  return frag;
}

function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

function renderHit(hit) {
  const li = el("li", "hit");
  const h2 = el("h2");
  const title = hit.title ? highlighted(hit.title, hit.title_highlights) : document.createTextNode(hit.id);
  const href = safeUrl(hit.url);
  if (href) {
    const a = el("a");
    a.href = href;
    a.rel = "noopener noreferrer";
    a.append(title);
    h2.append(a);
  } else {
    h2.append(title);
  }
  li.append(h2);
  const meta = [hit.date, hit.source].filter(Boolean).join(" · ");
  if (meta) li.append(el("div", "meta", meta));
  for (const snippet of hit.snippets) {
    const p = el("p", "snippet");
    p.append(highlighted(snippet.text, snippet.highlights));
    li.append(p);
  }
  li.append(el("div", "id", hit.id));
  return li;
}

// -- state in the URL -------------------------------------------------------

function readUrl() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "",
    offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
    since: p.get("since") || "",
    until: p.get("until") || "",
    exact: p.get("exact") === "true",
  };
}

function toParams(state) {
  const p = new URLSearchParams();
  p.set("q", state.q);
  if (state.offset) p.set("offset", String(state.offset));
  if (state.since) p.set("since", state.since);
  if (state.until) p.set("until", state.until);
  if (state.exact) p.set("exact", "true");
  return p;
}

function go(state) {
  history.pushState(null, "", "?" + toParams(state).toString());
  show(state);
}

// -- drawing ----------------------------------------------------------------

let current = readUrl();
let request = 0;

function fill(state) {
  $("q").value = state.q;
  $("since").value = state.since;
  $("until").value = state.until;
}

function done() {
  // lets a test know the page has finished drawing
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
}

function clear() {
  $("results").replaceChildren();
  $("pager").hidden = true;
  $("corrected").hidden = true;
  $("summary").classList.remove("error");
}

async function show(state) {
  current = state;
  fill(state);
  clear();
  if (!state.q.trim() && !state.since && !state.until) {
    $("summary").textContent = "";
    document.title = "searchko 검색";
    done();
    return;
  }
  document.title = `${state.q} - searchko 검색`;
  const mine = ++request;
  $("summary").textContent = "검색 중…";
  const params = toParams(state);
  params.set("limit", String(LIMIT));
  let response, body;
  try {
    response = await fetch("search?" + params.toString(), { headers: { Accept: "application/json" } });
    body = await response.json();
  } catch (e) {
    if (mine !== request) return;
    $("summary").textContent = "서버에 연결할 수 없습니다.";
    $("summary").classList.add("error");
    done();
    return;
  }
  if (mine !== request) return; // a newer search replaced this one
  if (!response.ok) {
    $("summary").textContent = "오류: " + body.error + (body.hint ? ` (${body.hint})` : "");
    $("summary").classList.add("error");
    done();
    return;
  }
  if (body.corrected) {
    // the hits are already those of the corrected query; offer the query as typed
    $("corrected-query").textContent = body.corrected;
    $("exact-link").href = "?" + toParams({ ...state, offset: 0, exact: true }).toString();
    $("corrected").hidden = false;
  }
  const first = state.offset + 1;
  const last = state.offset + body.hits.length;
  $("summary").textContent = body.total
    ? `검색 결과 ${body.total.toLocaleString("ko-KR")}건` + (body.hits.length ? ` 중 ${first}–${last}` : "")
    : "검색 결과가 없습니다.";
  $("results").replaceChildren(...body.hits.map(renderHit));
  if (body.total > LIMIT) {
    $("pager").hidden = false;
    $("prev").disabled = state.offset === 0;
    $("next").disabled = state.offset + LIMIT >= body.total;
    const pages = Math.ceil(body.total / LIMIT);
    $("page").textContent = `${Math.floor(state.offset / LIMIT) + 1} / ${pages}`;
  }
  done();
}

// -- events -----------------------------------------------------------------

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  go({ q: $("q").value, offset: 0, since: $("since").value, until: $("until").value, exact: false });
});

$("prev").addEventListener("click", () => {
  go({ ...current, offset: Math.max(0, current.offset - LIMIT) });
  window.scrollTo(0, 0);
});

$("next").addEventListener("click", () => {
  go({ ...current, offset: current.offset + LIMIT });
  window.scrollTo(0, 0);
});

$("exact-link").addEventListener("click", (event) => {
  event.preventDefault();
  go({ ...current, offset: 0, exact: true });
});

window.addEventListener("popstate", () => show(readUrl()));

show(current);
