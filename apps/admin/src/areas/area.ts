import type { ReactNode } from 'react';
import type { Texts } from '../i18n/i18n.ts';

/** A page of an area at `path` (relative to the root, e.g. `parties/:id`), shown only with `permission`. */
export interface AreaPage {
  path: string;
  permission: string;
  element: ReactNode;
}

/** An entry of the main menu: offered only to users holding `permission`. `label` is an i18n key. */
export interface NavEntry {
  path: string;
  label: string;
  permission: string;
}

/**
 * One part of the interface (parties, contracts, billing…): its menu entries, its pages, and its texts as an
 * i18n namespace named after `key`. The shell knows the areas only through this shape (areas/index.ts).
 */
export interface Area {
  key: string;
  nav: NavEntry[];
  pages: AreaPage[];
  texts?: Texts;
}
