/* Search as you type in the header's search box, over the Pagefind index built with the site.
 *
 * Results show the module id, the session and an excerpt with the match highlighted, and open
 * the section of their page where the match weighs most; arrows move through them, Enter opens
 * one, Escape closes the search box and its list. Before Pagefind sees a query, common words
 * ("how do I") are dropped, as Sphinx's search drops them, and a word that starts no word of
 * the site is replaced by the most frequent word one or two edits away ("dockerfle" becomes
 * "dockerfile"), from the list of words written beside the index. A word of a synonym group of
 * the course data ("tas", "hand in") is also searched as each other word of its group
 * ("teaching assistants", "hand-in"). Browsers refuse to load the index from disk (file://), so
 * there nothing is loaded and the box keeps submitting to Sphinx's search page, which works
 * from disk.
 */
"use strict";

(() => {
  const MAX_RESULTS = 8;
  // Pagefind boosts a page whose title matches 5x. A module's summary (its one-line
  // description from modules.yaml) is worth a smaller boost, and so are a page's keywords
  // (search.yaml); its session's name says nothing about which of the session's modules is
  // meant, so it does not count. termSimilarity: a word the student typed in full ranks far
  // above a longer word it starts ("tas" is not "tasks"); from 4 to 8 the query sets rank
  // the same, with Pagefind's default (1) the longer words often win.
  const RANKING = {
    termSimilarity: 5,
    metaWeights: { summary: 2, keywords: 3, session: 0 },
  };
  const LONGEST_SYNONYM = 3; // words in the longest phrase of a synonym group ("pass or fail")
  const MOST_VARIANTS = 8; // searches per query: the typed one and its synonyms
  const SYNONYM_WEIGHT = 0.5; // a synonym's score counts half: the student's own word leads

  // Sphinx's list of common English words, from its language_data.js on every page, and words
  // of students' questions it lacks ("how many ... per ...", "can I get ..."). Read when a query
  // is typed: deferred scripts may run in any order relative to this one.
  const QUESTION_WORDS = ["can", "get", "many", "much", "need", "per"];
  const commonWords = () =>
    new Set([...(typeof stopwords === "undefined" ? [] : stopwords), ...QUESTION_WORDS]);
  const SHORTEST_CORRECTED = 4;

  if (location.protocol === "file:") return;

  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  let engine = null;
  let vocabulary = null;
  let synonymGroups = null;

  /** A JSON file of the site, or an empty list if it cannot be loaded. */
  const fetchList = (path) =>
    fetch(new URL(path, root))
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => []);

  /** The site's words, most frequent first; an empty list if they cannot be loaded. */
  const words = () => (vocabulary ??= fetchList("_pagefind/handbook-words.json"));

  /** Each word or phrase of a synonym group (course data), mapped to the group's other words. */
  const synonyms = () =>
    (synonymGroups ??= fetchList("_static/handbook-synonyms.json").then((groups) => {
      const others = new Map();
      for (const group of groups) {
        for (const phrase of group) others.set(phrase, group.filter((word) => word !== phrase));
      }
      return others;
    }));

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

  /** The typed words as slots: a phrase of a synonym group (longest first), or one word. */
  const slots = (typed, groups) => {
    const found = [];
    for (let i = 0; i < typed.length; ) {
      const n = [LONGEST_SYNONYM, 2, 1].find((size) => groups.has(typed.slice(i, i + size).join(" ")));
      const phrase = typed.slice(i, i + (n ?? 1)).join(" ");
      found.push({ phrase, group: n ? groups.get(phrase) : null });
      i += n ?? 1;
    }
    return found;
  };

  /** A phrase's words without common ones; null if dropping them changed the phrase's sense. */
  const meaningfulWords = (phrase, common) => {
    const all = phrase.split(" ");
    const kept = all.filter((word) => !common.has(word));
    return kept.length === all.length || all.length === 1 ? kept : null;
  };

  /**
   * What Pagefind searches for: the query with common words dropped and typos corrected,
   * then the same with one phrase swapped for each other word of its synonym group.
   */
  const prepare = async (query) => {
    const [known, groups] = await Promise.all([words(), synonyms()]);
    const common = commonWords();
    const typed = query.toLowerCase().split(/\s+/).filter(Boolean);
    const parts = slots(typed, groups);
    const base = parts.map(({ phrase, group }) => {
      if (!group) return common.has(phrase) ? [] : [correct(phrase, known)];
      // "hand in" without "in" is "hand": take the first word of the group that keeps its sense
      const kept = [phrase, ...group].map((other) => meaningfulWords(other, common));
      return kept.find((found) => found?.length) ?? [];
    });
    const searched = (base.some((slot) => slot.length) ? base.flat() : typed).join(" ");
    const variants = [searched];
    parts.forEach(({ group }, i) => {
      for (const other of group ?? []) {
        const swapped = meaningfulWords(other, common);
        if (!swapped?.length) continue;
        const variant = [...base.slice(0, i), swapped, ...base.slice(i + 1)].flat().join(" ");
        if (!variants.includes(variant) && variants.length < MOST_VARIANTS) variants.push(variant);
      }
    });
    return { searched, variants };
  };

  /**
   * Pages by their score for the query plus a share of their scores for its synonyms: a page
   * that uses the student's word and the site's word comes first. If no search finds a page,
   * pages with the most of the query's words come first.
   */
  const find = async (pagefind, { searched, variants }) => {
    const best = new Map();
    for (const [i, variant] of variants.entries()) {
      const weight = i === 0 ? 1 : SYNONYM_WEIGHT;
      for (const result of (await pagefind.search(variant)).results) {
        const score = (best.get(result.id)?.score ?? 0) + weight * result.score;
        best.set(result.id, { result, score });
      }
    }
    if (best.size) return [...best.values()].sort((a, b) => b.score - a.score);
    const terms = searched.split(" ");
    if (terms.length < 2) return [];
    const some = new Map();
    for (const word of terms) {
      for (const result of (await pagefind.search(word)).results) {
        const seen = some.get(result.id) ?? { result, words: 0, score: 0 };
        some.set(result.id, { ...seen, words: seen.words + 1, score: seen.score + result.score });
      }
    }
    return [...some.values()].sort((a, b) => b.words - a.words || b.score - a.score);
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

  /**
   * The link of a result: its page, or the section of it where the matched words weigh most,
   * so a student lands beside the answer on a long page. Pagefind records where each element
   * with an id starts, as a word position, and where each match is. Sections count, and named
   * blocks such as an FAQ entry; docutils' numbered ids ("id3", a code block) do not.
   */
  const sectionUrl = (result) => {
    const sections = (result.anchors ?? [])
      .filter((anchor) => anchor.element === "section" || !/^id\d+$/.test(anchor.id))
      .sort((a, b) => a.location - b.location);
    const weight = new Map();
    for (const match of result.weighted_locations ?? []) {
      const section = sections.findLast((anchor) => anchor.location <= match.location);
      if (section) weight.set(section, (weight.get(section) ?? 0) + match.balanced_score);
    }
    let best = null;
    for (const [section, score] of weight) if (!best || score > weight.get(best)) best = section;
    // The first section is the page's title: the page itself, scrolled to its top.
    return best && best !== sections[0] ? `${result.url}#${best.id}` : result.url;
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
        option.href = sectionUrl(result);
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
      const prepared = await prepare(query);
      const searched = prepared.searched;
      const found = await find(pagefind, prepared);
      const results = await Promise.all(found.slice(0, MAX_RESULTS).map((r) => r.result.data()));
      if (ticket === latest) show(query, searched, results);
    };

    const warm = () => Promise.all([load(), words(), synonyms()]);
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
