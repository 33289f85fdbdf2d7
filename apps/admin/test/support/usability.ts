import type { Locator, Page } from 'playwright-core';

// The functions given to `evaluate` run in the browser. This file is compiled for Node (the root tsconfig,
// without the DOM's types), so they reach the document and the window through the element they are given.

/** What a page shows wider than the window: the page's own horizontal scroll, and what sticks out of it. */
export interface HorizontalOverflow {
  /** `document.documentElement.scrollWidth`: more than `clientWidth` means the whole page scrolls sideways. */
  scrollWidth: number;
  clientWidth: number;
  /**
   * The elements that reach past the right edge of the window without a scrolling container of their own
   * around them (so they widen the page, or are cut off): what to look at when the page overflows.
   */
  sticksOut: string[];
}

/**
 * Measures the page's horizontal overflow. A wide table that scrolls inside its own container is fine and is
 * not counted; the page itself scrolling sideways, or content cut off at the window's edge, is.
 */
export async function horizontalOverflow(page: Page): Promise<HorizontalOverflow> {
  return page.locator('html').evaluate((root) => {
    const view = root.ownerDocument.defaultView;
    const body = root.ownerDocument.body;
    const width: number = root.clientWidth;
    const scrollsItself = (element: typeof root) => {
      for (let up = element.parentElement; up && up !== body; up = up.parentElement) {
        const overflow: string = view.getComputedStyle(up).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') return true;
      }
      return false;
    };
    const describe = (element: typeof root) => {
      const label: string =
        element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
      const right = Math.round(element.getBoundingClientRect().right);
      return `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> "${label}" right=${right}`;
    };
    const sticksOut: (typeof root)[] = [...body.querySelectorAll('*')].filter((element) => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= width + 1) return false;
      return view.getComputedStyle(element).visibility !== 'hidden' && !scrollsItself(element);
    });
    // The innermost ones name the cause; their ancestors only carry it.
    const innermost = sticksOut.filter(
      (element) => !sticksOut.some((other) => other !== element && element.contains(other)),
    );
    return {
      scrollWidth: root.scrollWidth as number,
      clientWidth: width,
      sticksOut: innermost.slice(0, 10).map(describe),
    };
  });
}

/** Whether `target` has the keyboard focus. */
export async function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === element.ownerDocument.activeElement);
}

/** Whether the focus is inside `target` (a dialog, a menu). */
export async function hasFocusWithin(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element.contains(element.ownerDocument.activeElement) as boolean);
}

/** The focused element, described for a failure message. */
export async function focusedElement(page: Page): Promise<string> {
  return page.locator('html').evaluate((root) => {
    const element = root.ownerDocument.activeElement;
    if (!element || element === root.ownerDocument.body) return 'nothing (the page body)';
    const name: string = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 60) ?? '';
    return `<${element.tagName.toLowerCase()} role="${element.getAttribute('role') ?? ''}"> "${name}"`;
  });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would; fails after `max`
 * presses, naming where the focus was. Answers the number of presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { max?: number; backwards?: boolean } = {},
): Promise<number> {
  const max = options.max ?? 60;
  await target.waitFor();
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    if (await isFocused(target)) return presses;
  }
  throw new Error(
    `${String(target)} not reached by ${max} presses of Tab; focus is on ${await focusedElement(page)}`,
  );
}

/** How the focused `target` shows that it has the focus: its outline or a box shadow (a focus ring). */
export async function focusIndicator(
  target: Locator,
): Promise<{ focusVisible: boolean; outline: string; boxShadow: string; shown: boolean }> {
  return target.evaluate((element) => {
    const style = element.ownerDocument.defaultView.getComputedStyle(element);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const outlined =
      style.outlineStyle !== 'none' &&
      parseFloat(style.outlineWidth) > 0 &&
      style.outlineColor !== 'transparent' &&
      style.outlineColor !== 'rgba(0, 0, 0, 0)';
    return {
      focusVisible: element.matches(':focus-visible') as boolean,
      outline,
      boxShadow: style.boxShadow as string,
      shown: outlined || style.boxShadow !== 'none',
    };
  });
}

/**
 * Waits until `target` has the focus (a dialog gives it back just after it has gone); fails naming where the
 * focus is instead.
 */
export async function waitForFocus(page: Page, target: Locator, what: string): Promise<void> {
  const element = await target.elementHandle();
  await page
    .waitForFunction((expected) => expected?.ownerDocument.activeElement === expected, element)
    .catch(async (error: unknown) => {
      throw new Error(`the focus did not come back to ${what}; it is on ${await focusedElement(page)}`, {
        cause: error,
      });
    });
}

/** Waits until the focus is inside `target` (a dialog takes it when it opens). */
export async function waitForFocusWithin(page: Page, target: Locator): Promise<void> {
  await page.waitForFunction(
    (container) => !!container?.contains(container.ownerDocument.activeElement),
    await target.elementHandle(),
  );
}
