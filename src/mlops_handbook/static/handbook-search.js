/* Search as you type in the header's search box, over the Pagefind index built with the site.
 *
 * Results show the module id, the session and an excerpt with the match highlighted; arrows
 * move through them, Enter opens one, Escape closes the search box and its list. Before
 * Pagefind sees a query, common words ("how do I") are dropped, as Sphinx's search drops
 * them, and a word that starts no word of the site is replaced by the most frequent word one
 * or two edits away ("dockerfle" becomes "dockerfile"), from the list of words written beside
 * the index. Browsers refuse to load the index from disk (file://), so there nothing is
 * loaded and the box keeps submitting to Sphinx's search page, which works from disk.
 */
"use strict";

(() => {
  const MAX_RESULTS = 8;
  // Pagefind boosts a page whose title matches 5x. A module's summary (its one-line
  // description from modules.yaml) is worth a smaller boost; its session's name says nothing
  // about which of the session's modules is meant, so it does not count.
  const RANKING = { metaWeights: { summary: 2, session: 0 } };

  // Sphinx's list of common English words, from its language_data.js on every page. Read when
  // a query is typed: deferred scripts may run in any order relative to this one.
  const commonWords = () => (typeof stopwords === "undefined" ? new Set() : stopwords);
  const SHORTEST_CORRECTED = 4;

  if (location.protocol === "file:") return;

  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  let engine = null;
  let vocabulary = null;

  /** The site's words, most frequent first; an empty list if they cannot be loaded. */
  const words = () =>
    (vocabulary ??= fetch(new URL("_pagefind/handbook-words.json", root))
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => []));

  /** Edit distance with swapped neighbours counting as one edit, or limit + 1 once above it. */
  const distance = (a, b, limit) => {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          row[j] = Math.min(row[j], before[j - 2] + 1);
        }
      }
      if (Math.min(...row) > limit) return limit + 1;
      [before, previous] = [previous, row];
    }
    return previous[b.length];
  };

  /** A word as typed, or the most frequent word of the site it is probably a typo of. */
  const correct = (word, known) => {
    if (word.length < SHORTEST_CORRECTED || !/^\p{L}+$/u.test(word)) return word;
    if (known.some((candidate) => candidate.startsWith(word))) return word;
    const limit = word.length >= 8 ? 2 : 1;
    return known.find((candidate) => distance(word, candidate, limit) <= limit) ?? word;
  };

  /** The words Pagefind searches for: no common words, typos corrected. */
  const prepare = async (query) => {
    const typed = query.toLowerCase().split(/\s+/).filter(Boolean);
    const common = commonWords();
    const meaningful = typed.filter((word) => !common.has(word));
    const known = await words();
    return (meaningful.length ? meaningful : typed).map((word) => correct(word, known)).join(" ");
  };

  /** Pages with every word; if there are none, pages with the most of the words, best first. */
  const find = async (pagefind, searched) => {
    const every = (await pagefind.search(searched)).results;
    const terms = searched.split(" ");
    if (every.length || terms.length < 2) return every;
    const some = new Map();
    for (const word of terms) {
      for (const result of (await pagefind.search(word)).results) {
        const seen = some.get(result.id) ?? { result, words: 0, score: 0 };
        some.set(result.id, { ...seen, words: seen.words + 1, score: seen.score + result.score });
      }
    }
    const ranked = [...some.values()].sort((a, b) => b.words - a.words || b.score - a.score);
    return ranked.map((seen) => seen.result);
  };

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
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      select(-1);
    };

    const show = (query, searched, results) => {
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
      const corrected = searched === query.toLowerCase() ? "" : ` (searched for “${searched}”)`;
      status.textContent = results.length
        ? `${results.length} ${results.length === 1 ? "result" : "results"} for “${query}”${corrected}`
        : `No page matches “${query}”${corrected}.`;
      const page = new URL(form.getAttribute("action"), location.href);
      page.searchParams.set("q", query);
      more.href = page.href;
      more.textContent = "All results on the search page";
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
      const searched = await prepare(query);
      const found = await find(pagefind, searched);
      const results = await Promise.all(found.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (ticket === latest) show(query, searched, results);
    };

    const warm = () => Promise.all([load(), words()]);
    input.addEventListener("focus", warm, { once: true });
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
      }
    });
    // Escape closes the theme's search dialog (its own key handler); the list goes with it.
    input.closest("dialog")?.addEventListener("close", close);
  }

  const start = () => document.querySelectorAll("form.bd-search input[name='q']").forEach(attach);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
