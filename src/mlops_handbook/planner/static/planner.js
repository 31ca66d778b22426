/* The planner: today's session, the project checklist and your progress through the modules.
 *
 * Everything is computed in the browser from the plan the build wrote (window.mlopsHandbookPlan,
 * in _static/handbook-plan.js) and kept in localStorage under one key per edition. No request is
 * made, so it works offline and from file://. Text from the data is only ever set as text.
 */
(() => {
  "use strict";

  const plan = window.mlopsHandbookPlan;
  if (!plan) return;

  const FORMAT = "dtu-mlops-handbook-progress";
  const STORAGE_KEY = `mlops-handbook/${plan.edition}`;
  const root = document.documentElement.dataset.content_root || "";
  const moduleIds = new Set(plan.modules.map((m) => m.id));
  const itemIds = new Set(plan.checklist.map((i) => i.id));
  const WEEKS = { 1: "Week 1", 2: "Week 2", 3: "Week 3", extra: "Extra" };

  /* ---------- small DOM helpers (text is always set as text) ---------- */

  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      node.append(child);
    }
    return node;
  }

  const link = (url, text) => el("a", { href: root + url, class: "reference internal", text });
  const absolute = (url) => new URL(root + url, window.location.href).href;
  const plural = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;

  /* ---------- storage ---------- */

  let memory = { modules: [], checklist: [] };

  function clean(state) {
    return {
      modules: [...new Set(state.modules)].filter((id) => moduleIds.has(id)).sort(),
      checklist: [...new Set(state.checklist)].filter((id) => itemIds.has(id)).sort(),
    };
  }

  function load() {
    try {
      const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (stored && Array.isArray(stored.modules) && Array.isArray(stored.checklist)) {
        return clean(stored);
      }
    } catch {
      /* storage disabled or damaged: keep what this page knows */
    }
    return memory;
  }

  function save(state) {
    memory = clean(state);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(memory));
    } catch {
      /* storage disabled: the state lasts as long as the page */
    }
    render();
  }

  function toggle(list, id, on) {
    const state = load();
    const values = new Set(state[list]);
    if (on) values.add(id);
    else values.delete(id);
    save({ ...state, [list]: [...values] });
  }

  /* ---------- today ---------- */

  function todayInCourseZone() {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: plan.timezone, year: "numeric", month: "2-digit", day: "2-digit",
    }).formatToParts(new Date());
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get("year")}-${get("month")}-${get("day")}`;
  }

  function longDate(iso) {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC", weekday: "long", day: "numeric", month: "long",
    }).format(new Date(`${iso}T12:00:00Z`));
  }

  function dayLink(day) {
    const session = plan.sessions.find((s) => s.id === day.session);
    return session ? link(session.url, day.title) : el("span", { text: day.title });
  }

  function dayDetails(day) {
    const session = plan.sessions.find((s) => s.id === day.session);
    if (!session) return day.note ? el("p", { text: day.note }) : null;
    const list = el("ul", { class: "handbook-today-modules" });
    for (const id of session.modules) {
      const module = plan.modules.find((m) => m.id === id);
      list.append(el("li", {}, link(module.url, module.label)));
    }
    return el("div", {}, el("p", { text: "The day's modules:" }), list);
  }

  function renderToday(widget) {
    const today = todayInCourseZone();
    const day = plan.days.find((d) => d.date === today);
    const next = plan.days.find((d) => d.date > today);
    const line = el("p", { class: "handbook-today-line" });
    let details = null;
    if (day) {
      line.append(el("strong", { text: "Today: " }), dayLink(day));
      details = dayDetails(day);
    } else if (!next || today > plan.end) {
      line.append(el("strong", { text: `The ${plan.label} edition has ended.` }));
    } else if (today < plan.start) {
      line.append(el("strong", { text: `Starts ${longDate(next.date)}` }), " with ", dayLink(next));
    } else {
      line.append(
        el("strong", { text: "No course today. " }),
        `Next course day: ${longDate(next.date)}, `, dayLink(next),
      );
    }
    widget.replaceChildren(line);
    if (details) widget.append(details);
    widget.dataset.today = today;
    widget.hidden = false;
  }

  function markTodaysRow() {
    const rows = document.querySelectorAll("table.handbook-timeplan tbody tr");
    if (rows.length !== plan.days.length) return;
    const today = todayInCourseZone();
    plan.days.forEach((day, index) => {
      const row = rows[index];
      const isToday = day.date === today;
      row.classList.toggle("handbook-today-row", isToday);
      if (isToday) {
        row.setAttribute("aria-current", "date");
        row.cells[0].append(el("span", { class: "handbook-today-badge", text: " Today" }));
      }
    });
  }

  /* ---------- progress ---------- */

  function sessionCount(session, done) {
    return session.modules.filter((id) => done.has(id)).length;
  }

  function renderDone(widget, state) {
    const id = widget.dataset.module;
    const done = new Set(state.modules);
    const session = plan.sessions.find((s) => s.modules.includes(id));
    let button = widget.querySelector("button");
    if (!button) {
      button = el("button", { type: "button", class: "handbook-done-button", "aria-pressed": "false" });
      button.append(el("span", { class: "handbook-done-mark", "aria-hidden": "true" }), "Mark as done");
      button.addEventListener("click", () => toggle("modules", id, !load().modules.includes(id)));
      widget.replaceChildren(button, el("span", { class: "handbook-done-status" }));
    }
    button.setAttribute("aria-pressed", String(done.has(id)));
    widget.querySelector(".handbook-done-status").textContent = session
      ? `${session.label}: ${sessionCount(session, done)} of ${plural(session.modules.length, "module")} done`
      : "";
    widget.hidden = false;
  }

  function bar(done, total, label) {
    return el("progress", { max: String(total), value: String(done), "aria-label": label });
  }

  function renderSessionProgress(widget, state) {
    const session = plan.sessions.find((s) => s.id === widget.dataset.session);
    const done = sessionCount(session, new Set(state.modules));
    const text = `Your progress: ${done} of ${plural(session.modules.length, "module")} done`;
    widget.replaceChildren(el("p", { text }), bar(done, session.modules.length, text));
    widget.hidden = false;
  }

  function markCards(state) {
    const done = new Set(state.modules);
    for (const module of plan.modules) {
      const target = absolute(module.url);
      for (const anchor of document.querySelectorAll(".handbook-module-cards a.sd-stretched-link")) {
        if (anchor.href !== target) continue;
        const card = anchor.closest(".sd-card");
        card.querySelector(".handbook-card-done")?.remove();
        card.classList.toggle("handbook-card-is-done", done.has(module.id));
        if (done.has(module.id)) {
          const title = card.querySelector(".sd-card-title") || card.querySelector(".sd-card-body");
          title.append(el("span", { class: "handbook-card-done sd-badge", text: "✓ Done" }));
        }
      }
    }
  }

  function markSidebar(state) {
    const nav = document.querySelector("nav.bd-docs-nav");
    if (!nav) return;
    const done = new Set(state.modules);
    nav.querySelectorAll(".handbook-nav-count, .handbook-nav-progress").forEach((n) => n.remove());
    // The current page links to itself as "#": compare addresses without the fragment.
    const anchors = [...nav.querySelectorAll("a.reference")];
    const find = (url) => anchors.find((a) => a.href.split("#")[0] === absolute(url));
    for (const session of plan.sessions) {
      const anchor = find(session.url);
      if (!anchor) continue;
      const count = sessionCount(session, done);
      anchor.append(el("span", { class: "handbook-nav-count" },
        el("span", { "aria-hidden": "true", text: ` ${count}/${session.modules.length}` }),
        el("span", { class: "visually-hidden", text: `(${count} of ${session.modules.length} modules done)` })));
    }
    for (const module of plan.modules) {
      const anchor = find(module.url);
      if (anchor && done.has(module.id)) {
        anchor.append(el("span", { class: "handbook-nav-count" },
          el("span", { "aria-hidden": "true", text: " ✓" }),
          el("span", { class: "visually-hidden", text: "(done)" })));
      }
    }
    const text = `Your progress: ${done.size} of ${plan.modules.length} modules done`;
    nav.prepend(el("p", { class: "handbook-nav-progress", text }));
  }

  /* ---------- export and import ---------- */

  function exportFile() {
    const state = load();
    const body = { format: FORMAT, version: 1, edition: plan.edition, ...state };
    const blob = new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: "application/json" });
    const anchor = el("a", { href: URL.createObjectURL(blob), download: `mlops-handbook-progress-${plan.edition}.json` });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(anchor.href), 0);
    return `Saved ${plural(state.modules.length, "module")} and ${plural(state.checklist.length, "checklist item")} to ${anchor.download}.`;
  }

  /* Returns the state in a progress file, or throws an Error that says what is wrong. */
  function parseProgress(text) {
    let body;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new Error(`The file is not valid JSON (${error.message}). Choose a file saved with "Export progress".`);
    }
    if (!body || typeof body !== "object" || Array.isArray(body) || body.format !== FORMAT) {
      throw new Error(`This is not a progress file of the handbook: it needs "format": "${FORMAT}".`);
    }
    if (body.version !== 1) {
      throw new Error(`This progress file has version ${JSON.stringify(body.version)}; this handbook reads version 1.`);
    }
    if (body.edition !== plan.edition) {
      throw new Error(`This progress file is for edition ${JSON.stringify(body.edition)}; this handbook is edition "${plan.edition}" (${plan.label}).`);
    }
    for (const [list, known, what] of [["modules", moduleIds, "module"], ["checklist", itemIds, "checklist item"]]) {
      if (!Array.isArray(body[list]) || body[list].some((v) => typeof v !== "string")) {
        throw new Error(`"${list}" must be a list of ${what} ids in quotes.`);
      }
      const unknown = body[list].filter((id) => !known.has(id));
      if (unknown.length) {
        throw new Error(`Unknown ${what} ${unknown.length === 1 ? "id" : "ids"} in "${list}": ${unknown.join(", ")}.`);
      }
    }
    return { modules: body.modules, checklist: body.checklist };
  }

  function renderProgress(widget, state) {
    if (!widget.querySelector(".handbook-progress-total")) {
      const status = el("p", { class: "handbook-status", role: "status" });
      const input = el("input", { type: "file", accept: ".json,application/json", hidden: "hidden", "aria-label": "Progress file to import" });
      input.addEventListener("change", () => {
        const [file] = input.files;
        if (!file) return;
        file.text().then((text) => {
          try {
            const imported = parseProgress(text);
            save(imported);
            status.textContent = `Imported ${plural(imported.modules.length, "module")} done and ${plural(imported.checklist.length, "checklist item")} ticked.`;
          } catch (error) {
            status.textContent = `Nothing was imported. ${error.message}`;
          }
          input.value = "";
        });
      });
      const exporter = el("button", { type: "button", class: "sd-btn sd-btn-outline-primary", text: "Export progress" });
      exporter.addEventListener("click", () => { status.textContent = exportFile(); });
      const importer = el("button", { type: "button", class: "sd-btn sd-btn-outline-primary", text: "Import progress" });
      importer.addEventListener("click", () => input.click());
      widget.replaceChildren(
        el("h2", { text: "Your progress" }),
        el("p", { class: "handbook-progress-total" }),
        el("div", { class: "handbook-progress-bar" }),
        el("ul", { class: "handbook-progress-sessions" }),
        el("p", { class: "handbook-widget-note", text: "Kept in this browser only. Export it to move it to another browser; import replaces what is here." }),
        el("div", { class: "handbook-buttons" }, exporter, importer, input),
        status,
      );
    }
    const done = new Set(state.modules);
    const text = `${done.size} of ${plan.modules.length} modules done, ${state.checklist.length} of ${plan.checklist.length} checklist items ticked`;
    widget.querySelector(".handbook-progress-total").textContent = text;
    widget.querySelector(".handbook-progress-bar").replaceChildren(bar(done.size, plan.modules.length, text));
    widget.querySelector(".handbook-progress-sessions").replaceChildren(...plan.sessions.map((s) =>
      el("li", {}, link(s.url, s.label), `: ${sessionCount(s, done)} of ${s.modules.length}`)));
    widget.hidden = false;
  }

  /* ---------- the project checklist ---------- */

  function markdown(state) {
    const ticked = new Set(state.checklist);
    const lines = [`## Project checklist (${plan.label})`];
    for (const [week, title] of Object.entries(WEEKS)) {
      const items = plan.checklist.filter((i) => i.week === week);
      if (!items.length) continue;
      lines.push("", `### ${title}`, "");
      for (const item of items) {
        const modules = item.modules.length ? ` (${item.modules.join(", ")})` : "";
        lines.push(`- [${ticked.has(item.id) ? "x" : " "}] ${item.text}${modules}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  function renderTicks(state) {
    const ticked = new Set(state.checklist);
    for (const item of document.querySelectorAll("li[data-checklist-item]")) {
      const id = item.dataset.checklistItem;
      let box = item.querySelector("input.handbook-tick");
      if (!box) {
        const text = item.querySelector(".handbook-checklist-text");
        text.id = `handbook-checklist-text-${id}`;
        box = el("input", { type: "checkbox", class: "handbook-tick", "aria-labelledby": text.id });
        box.addEventListener("change", () => toggle("checklist", id, box.checked));
        text.prepend(box);
        item.classList.add("is-live");
      }
      box.checked = ticked.has(id);
      item.classList.toggle("is-ticked", box.checked);
    }
  }

  function renderChecklistTools(widget, state) {
    if (!widget.querySelector(".handbook-checklist-count")) {
      const status = el("p", { class: "handbook-status", role: "status" });
      const copy = el("button", { type: "button", class: "sd-btn sd-btn-outline-primary", text: "Copy as Markdown" });
      const reset = el("button", { type: "button", class: "sd-btn sd-btn-outline-primary", text: "Reset" });
      const fallback = el("textarea", { class: "handbook-markdown", readonly: "readonly", rows: "8", "aria-label": "The checklist as Markdown" });
      fallback.hidden = true;
      copy.addEventListener("click", () => {
        const text = markdown(load());
        const count = plural(plan.checklist.length, "item");
        navigator.clipboard.writeText(text).then(
          () => { status.textContent = `Copied ${count} as Markdown: paste them into your group's README.`; },
          () => {
            fallback.value = text;
            fallback.hidden = false;
            fallback.select();
            status.textContent = "Copying is not allowed here: the Markdown is selected below, copy it with Ctrl+C or Cmd+C.";
          },
        );
      });
      reset.addEventListener("click", () => {
        if (!window.confirm("Untick every item of the project checklist?")) return;
        save({ ...load(), checklist: [] });
        status.textContent = "Every item is unticked.";
      });
      widget.replaceChildren(
        el("p", { class: "handbook-checklist-count" }),
        el("p", { class: "handbook-widget-note", text: "Your ticks are kept in this browser only." }),
        el("div", { class: "handbook-buttons" }, copy, reset),
        status,
        fallback,
      );
    }
    widget.querySelector(".handbook-checklist-count").textContent =
      `${state.checklist.length} of ${plural(plan.checklist.length, "item")} ticked`;
    widget.hidden = false;
  }

  /* ---------- wiring ---------- */

  const RENDERERS = {
    "handbook-done": renderDone,
    "handbook-session-progress": renderSessionProgress,
    "handbook-progress": renderProgress,
    "handbook-checklist-tools": renderChecklistTools,
  };

  function render() {
    const state = load();
    for (const [name, draw] of Object.entries(RENDERERS)) {
      document.querySelectorAll(`.handbook-widget.${name}`).forEach((w) => draw(w, state));
    }
    renderTicks(state);
    markCards(state);
    markSidebar(state);
  }

  function start() {
    document.querySelectorAll(".handbook-widget.handbook-today").forEach(renderToday);
    markTodaysRow();
    render();
    window.addEventListener("storage", (event) => { if (event.key === STORAGE_KEY) render(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
