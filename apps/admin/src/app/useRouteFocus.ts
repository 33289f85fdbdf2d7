import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router';

/** A page's own heading: the first h1 or h2 in the main region (a card's sections are h3 and below). */
const PAGE_HEADING = 'h1, h2';

/**
 * What accessible single-page apps do when the page changes (a menu link, a row opening a card, a redirect):
 * the focus moves to the new page's heading, so that a screen reader announces it and Tab goes on from the top
 * of the page, instead of staying on the link in the menu or dropping to the body. A page still loading has no
 * heading yet: the focus goes to `main` and on to the heading when it comes, unless the user has moved it
 * meanwhile. Only a change of the path counts: a filter, a sort or a page of a list (the query string) keeps the
 * focus where it is, and so does the first page shown (the browser starts at the top of the document).
 *
 * The document's title follows the page's heading: "Parties · Lessor", or `appName` alone without one.
 */
export function useRouteFocus(main: RefObject<HTMLElement | null>, appName: string): void {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  /** The path changed before the page had its heading: the heading takes the focus when it comes. */
  const awaitingHeading = useRef(false);

  useEffect(() => {
    const region = main.current;
    if (!region) return;
    const follow = () => {
      const heading = region.querySelector<HTMLElement>(PAGE_HEADING);
      const text = heading?.textContent?.trim();
      const title = text ? `${text} · ${appName}` : appName;
      if (document.title !== title) document.title = title;
      if (heading && awaitingHeading.current) {
        awaitingHeading.current = false;
        if (focusUnclaimed(region)) focusOn(heading);
      }
    };
    follow();
    // The heading comes with the page's data, and its text changes with the language.
    const observer = new MutationObserver(follow);
    observer.observe(region, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = appName;
    };
  }, [main, appName]);

  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const region = main.current;
    if (!region) return;
    const heading = region.querySelector<HTMLElement>(PAGE_HEADING);
    awaitingHeading.current = !heading;
    focusOn(heading ?? region);
  }, [main, pathname]);
}

/** Whether nobody has put the focus anywhere since it went to `main`: it is still there, or on the body. */
function focusUnclaimed(region: HTMLElement): boolean {
  const active = region.ownerDocument.activeElement;
  return !active || active === region || active === region.ownerDocument.body;
}

/** Focuses `element`, made focusable by script only (tabindex -1) if it is not already. */
function focusOn(element: HTMLElement): void {
  if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus();
}
