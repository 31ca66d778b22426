// Added to every page by `nox -s serve` (never to the built files): reload after a successful
// rebuild; while the last build failed, show what it printed in a banner at the top.
(() => {
  "use strict";
  let seen = null;
  let banner = null;

  function show(problems) {
    if (!problems) {
      if (banner) banner.remove();
      banner = null;
      return;
    }
    if (!banner) {
      banner = document.createElement("section");
      banner.id = "handbook-serve-problems";
      banner.setAttribute("role", "alert");
      banner.style.cssText =
        "position:sticky;top:0;z-index:10000;max-height:45vh;overflow:auto;margin:0;" +
        "padding:.75rem 1rem;background:#7f1d1d;color:#fff;font:14px/1.4 monospace;";
      const title = document.createElement("strong");
      title.textContent = "The last build failed; this page is from the last good build. Fix:";
      const text = document.createElement("pre");
      text.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0;color:inherit;background:none;";
      banner.append(title, text);
      document.body.prepend(banner);
    }
    banner.querySelector("pre").textContent = problems;
  }

  async function poll() {
    try {
      const response = await fetch("/__serve/status", { cache: "no-store" });
      const state = await response.json();
      if (seen === null) seen = state.generation;
      if (state.generation !== seen && !state.problems) {
        location.reload();
        return;
      }
      seen = state.generation;
      show(state.problems);
    } catch {
      // The server is restarting; try again.
    }
    setTimeout(poll, 100);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", poll);
  } else {
    poll();
  }
})();
