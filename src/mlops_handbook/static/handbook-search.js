/* Search as you type in the header's search box, over the Pagefind index built with the site.
 *
 * Results show the module id, the session and an excerpt with the match highlighted; arrows
 * move through them, Enter opens one, Escape closes the list. Browsers refuse to load the
 * index from disk (file://), so there nothing is loaded and the box keeps submitting to
 * Sphinx's search page, which works from disk.
 */
"use strict";

(() => {
  const MAX_RESULTS = 8;
  // Pagefind's defaults favour long pages less and exact words more than a handbook needs:
  // a module page is long, and students type word stems and typos.
  const RANKING = { termFrequency: 0.8, pageLength: 0.5, termSimilarity: 1.0, termSaturation: 1.4 };

  if (location.protocol === "file:") return;

  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  let engine = null;

  /** Load Pagefind once, on first use; resolve to null (and keep Sphinx's search) if it fails. */
  const load = () =>
    (engine ??= import(new URL("_pagefind/pagefind.js", root).href)
      .then(async (pagefind) => {
        await pagefind.options({ baseUrl: root.pathname, excerptLength: 22, ranking: RANKING });
        await pagefind.init();
        return pagefind;
      })
      .catch(() => null));

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  /** An excerpt as text with Pagefind's <mark> elements kept and nothing else. */
  const excerpt = (html) => {
    const out = element("span", "handbook-search-excerpt");
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
    for (const node of parsed.childNodes) {
      out.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
    }
    return out;
  };

  let count = 0;

  function attach(input) {
    const form = input.form;
    const id = `handbook-search-${++count}`;
    const panel = element("div", "handbook-search-panel");
    const list = element("div", "handbook-search-results");
    const status = element("p", "handbook-search-status");
    const more = element("a", "handbook-search-more");
    panel.hidden = true;
    list.id = `${id}-results`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    status.setAttribute("role", "status");
    panel.append(status, list, more);
    form.after(panel);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    let options = [];
    let active = -1;
    let latest = 0;

    const select = (index) => {
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    };

    const close = () => {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      select(-1);
    };

    const show = (query, results) => {
      list.replaceChildren();
      options = results.map((result, i) => {
        const option = element("a", "handbook-search-result");
        option.id = `${id}-option-${i}`;
        option.href = result.url;
        option.tabIndex = -1;
        option.setAttribute("role", "option");
        const where = [result.meta.module, result.meta.session].filter(Boolean).join(" · ");
        if (where) option.append(element("span", "handbook-search-where", where));
        option.append(element("span", "handbook-search-title", result.meta.title || result.url));
        option.append(excerpt(result.excerpt));
        option.addEventListener("mousedown", (event) => event.preventDefault());
        list.append(option);
        return option;
      });
      status.textContent = results.length
        ? `${results.length} ${results.length === 1 ? "result" : "results"} for “${query}”`
        : `No page matches “${query}”.`;
      const page = new URL(form.getAttribute("action"), location.href);
      page.searchParams.set("q", query);
      more.href = page.href;
      more.textContent = "Search every word on the search page";
      panel.hidden = false;
      input.setAttribute("aria-expanded", "true");
      select(options.length ? 0 : -1);
    };

    const update = async () => {
      const query = input.value.trim();
      const ticket = ++latest;
      if (!query) return close();
      const pagefind = await load();
      if (!pagefind || ticket !== latest) return;
      const found = await pagefind.search(query);
      const results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (ticket === latest) show(query, results);
    };

    input.addEventListener("focus", load, { once: true });
    input.addEventListener("input", update);
    input.addEventListener("keydown", (event) => {
      if (panel.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!options.length) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        select((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        location.href = options[active].href;
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
  }

  const start = () => document.querySelectorAll("form.bd-search input[name='q']").forEach(attach);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
