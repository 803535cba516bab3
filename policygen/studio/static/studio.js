// policygen studio: collect the form, ask the server to check it, show problems and the preview.
// No framework: the server renders the form and the preview; this script only moves data.
"use strict";

(function () {
  const DEBOUNCE_MS = 120;
  const form = document.getElementById("profile");
  const preview = document.getElementById("preview");
  const words = JSON.parse(document.getElementById("words").content.textContent);
  const ui = document.body.dataset.ui;
  let timer = null;
  let sequence = 0;
  let changedAt = 0;

  function collect() {
    const fields = {};
    for (const element of form.elements) {
      if (!element.name) continue;
      if (element.type === "checkbox") {
        fields[element.name] = fields[element.name] || [];
        if (element.checked) fields[element.name].push(element.value);
      } else {
        fields[element.name] = element.value;
      }
    }
    return fields;
  }

  function payload() {
    return {
      fields: collect(),
      edition: document.getElementById("edition").value,
      lang: document.getElementById("lang").value,
      ui: ui,
    };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
  }

  function errorSlot(field) {
    // the field itself, else the nearest enclosing group or section
    let path = field;
    while (path) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
      if (slot) return slot;
      path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    }
    return null;
  }

  function clearErrors() {
    for (const slot of form.querySelectorAll(".error")) {
      slot.hidden = true;
      slot.textContent = "";
    }
    for (const bad of form.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
  }

  function item(text, hint, field) {
    const li = document.createElement("li");
    const strong = document.createElement("span");
    strong.textContent = text;
    li.appendChild(strong);
    if (hint) {
      const small = document.createElement("small");
      small.textContent = " " + words.hint + ": " + hint;
      li.appendChild(small);
    }
    if (field) {
      li.dataset.field = field;
      li.tabIndex = 0;
      li.addEventListener("click", () => focusField(field));
    }
    return li;
  }

  function focusField(field) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`) || errorSlot(field);
    if (input) {
      input.scrollIntoView({block: "center"});
      if (input.focus) input.focus();
    }
  }

  function fill(listId, entries) {
    const list = document.getElementById(listId);
    list.replaceChildren();
    if (!entries.length) list.appendChild(item(words.no_findings));
    for (const entry of entries) list.appendChild(item(entry.message, entry.hint, entry.field));
  }

  function showProblems(problems) {
    clearErrors();
    const list = document.getElementById("problems");
    list.replaceChildren();
    for (const problem of problems) {
      const slot = errorSlot(problem.field);
      if (slot) {
        slot.hidden = false;
        slot.textContent += (slot.textContent ? " · " : "") + problem.message +
          (problem.hint ? " (" + problem.hint + ")" : "");
        const input = form.querySelector(`[name="${CSS.escape(problem.field)}"]`);
        if (input) input.setAttribute("aria-invalid", "true");
      }
      list.appendChild(item(problem.message, problem.hint, problem.field));
    }
    document.getElementById("no-problems").hidden = problems.length > 0;
  }

  function showPreview(html) {
    const frame = preview.contentWindow;
    const scroll = frame && frame.document && frame.document.scrollingElement
      ? frame.document.scrollingElement.scrollTop : 0;
    preview.addEventListener("load", function restore() {
      preview.removeEventListener("load", restore);
      const doc = preview.contentWindow.document;
      if (doc.scrollingElement) doc.scrollingElement.scrollTop = scroll;
    });
    preview.srcdoc = html;
  }

  function showExplain(decisions) {
    const list = document.getElementById("explain");
    list.replaceChildren();
    for (const d of decisions) {
      const li = document.createElement("li");
      li.className = d.included ? "in" : "out";
      const id = document.createElement("code");
      id.textContent = d.id;
      li.append(d.included ? "✓ " : "✗ ", id, " — " + (d.title ? d.title + ": " : "") + d.reason);
      list.appendChild(li);
    }
  }

  async function check() {
    const mine = ++sequence;
    const started = changedAt || performance.now();
    const response = await post("/api/check", payload());
    if (!response.ok || mine !== sequence) return;
    const result = await response.json();
    if (mine !== sequence) return;
    showProblems(result.problems);
    document.getElementById("stale").hidden = result.valid;
    if (result.valid) {
      showPreview(result.html);
      showExplain(result.decisions);
      fill("lint", result.lint);
      fill("readiness", result.readiness);
    }
    const ms = Math.round(performance.now() - started);
    window.studioLatency = ms;
    window.studioChecks = (window.studioChecks || 0) + 1;
    document.getElementById("latency").textContent = words.ms.replace("{ms}", ms);
    document.body.dataset.checked = String(window.studioChecks);
    changedAt = 0;
  }

  function changed() {
    if (!changedAt) changedAt = performance.now();
    clearTimeout(timer);
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  function renumber(group) {
    const name = group.dataset.group;
    const items = group.querySelectorAll(":scope > .items > .item");
    items.forEach((node, index) => {
      const prefix = new RegExp("^" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\.\\d+");
      for (const el of node.querySelectorAll("[name],[data-path],[data-error-for],[id],[for]")) {
        for (const attr of ["name", "data-path", "data-error-for", "for", "id"]) {
          const value = el.getAttribute(attr);
          if (value === null) continue;
          const head = attr === "id" || attr === "for" ? value.slice(0, 2) : "";
          const rest = head ? value.slice(2) : value;
          if (prefix.test(rest)) el.setAttribute(attr, head + rest.replace(prefix, name + "." + index));
        }
      }
      node.dataset.path = name + "." + index;
      const slot = node.querySelector(":scope > .error");
      if (slot) slot.dataset.errorFor = name + "." + index;
    });
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const group = button.closest("[data-group]");
    if (button.classList.contains("add") && group) {
      const items = group.querySelector(":scope > .items");
      const index = items.querySelectorAll(":scope > .item").length;
      const html = group.querySelector(":scope > template").innerHTML.replaceAll("__i__", index);
      items.insertAdjacentHTML("beforeend", html);
      const first = items.lastElementChild.querySelector("input,select,textarea");
      if (first) first.focus();
      changed();
    } else if (button.classList.contains("remove") && group) {
      button.closest(".item").remove();
      renumber(group);
      changed();
    }
  });
  document.getElementById("edition").addEventListener("change", changed);
  document.getElementById("lang").addEventListener("change", changed);

  document.getElementById("save").addEventListener("click", async () => {
    const status = document.getElementById("save-status");
    let body = payload();
    let response = await post("/api/save", body);
    let result = await response.json();
    if (response.status === 409 && window.confirm(result.message)) {
      body.replace = true;
      response = await post("/api/save", body);
      result = await response.json();
    }
    status.textContent = result.message || "";
    status.className = result.saved ? "ok" : "bad";
    if (result.problems) showProblems(result.problems);
  });

  document.getElementById("download").addEventListener("submit", (event) => {
    event.target.elements.payload.value = JSON.stringify(payload());
  });

  document.getElementById("ui-switch").addEventListener("click", () => {
    sessionStorage.setItem("policygen-studio-fields", JSON.stringify(collect()));
  });
  const kept = sessionStorage.getItem("policygen-studio-fields");
  if (kept) {
    sessionStorage.removeItem("policygen-studio-fields");
    const fields = JSON.parse(kept);
    for (const element of form.elements) {
      if (!element.name || !(element.name in fields)) continue;
      if (element.type === "checkbox") element.checked = fields[element.name].includes(element.value);
      else element.value = fields[element.name];
    }
  }
  check();
})();
