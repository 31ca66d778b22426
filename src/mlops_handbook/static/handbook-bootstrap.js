/* The theme's Bootstrap (81 KB with Popper), fetched when the reader first reaches for the
 * page or once it has loaded, instead of before its load event.
 *
 * On the handbook's pages Bootstrap opens the header's menus (PDFs, source and problems,
 * colour mode), shows its buttons' tooltips and the back-to-top button: nothing a page shows
 * before anyone touches it. The first pointer, touch, key, focus or scroll fetches it, and so
 * does the first idle moment after the load event, so a menu is usually ready before anyone
 * opens it. A menu clicked (or opened with Enter) before Bootstrap has arrived opens when it
 * arrives: that click is held back, then played again.
 */
"use strict";

(() => {
  const TOGGLE = '[data-bs-toggle="dropdown"]';
  const FIRST_TOUCH = ["pointerdown", "touchstart", "keydown", "focusin", "mouseover", "wheel"];
  const root = document.documentElement.dataset.content_root || "";
  let arriving = null;
  let held = null;

  /** Bootstrap, fetched once; the toggle clicked while it was coming is clicked again. */
  const bootstrap = () =>
    (arriving ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `${root}_static/scripts/bootstrap.js`;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    }).then(() => {
      const toggle = held;
      held = null;
      toggle?.click();
    }));

  const options = { capture: true, once: true, passive: true };
  for (const type of FIRST_TOUCH) window.addEventListener(type, bootstrap, options);
  // The page's own scrolling only: caught in the capture phase, a scroll of any element would
  // count, and the theme scrolls the sidebar to the current page's link while the page loads.
  window.addEventListener("scroll", bootstrap, { once: true, passive: true });
  window.addEventListener(
    "click",
    (event) => {
      const toggle = event.target instanceof Element ? event.target.closest(TOGGLE) : null;
      if (toggle === null || window.bootstrap !== undefined) return;
      event.preventDefault();
      held = toggle;
      bootstrap();
    },
    true,
  );
  const idle = window.requestIdleCallback ?? ((run) => setTimeout(run, 1));
  if (document.readyState === "complete") idle(bootstrap);
  else window.addEventListener("load", () => idle(bootstrap), { once: true });
})();
