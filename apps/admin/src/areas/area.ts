import type { ReactNode } from 'react';
import type { Texts } from '../i18n/i18n.ts';

/**
 * What a page or a menu entry needs: one permission, or `{ anyOf }`: any one of several (a page that serves
 * whichever of them the user holds, such as the parked events of each service).
 */
export type PermissionRule = string | { anyOf: readonly string[] };

/** The permissions `rule` names: the one it needs, or each it accepts. */
export function permissionsOf(rule: PermissionRule): readonly string[] {
  return typeof rule === 'string' ? [rule] : rule.anyOf;
}

/** Whether a user who holds what `can` says passes `rule` (`can` from `useSession`). */
export function allows(rule: PermissionRule, can: (permission: string) => boolean): boolean {
  return permissionsOf(rule).some((permission) => can(permission));
}

/** A page of an area at `path` (relative to the root, e.g. `parties/:id`), shown only as `permission` allows. */
export interface AreaPage {
  path: string;
  permission: PermissionRule;
  element: ReactNode;
}

/** An entry of the main menu: offered only as `permission` allows. `label` is an i18n key. */
export interface NavEntry {
  path: string;
  label: string;
  permission: PermissionRule;
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
