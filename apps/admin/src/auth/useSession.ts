import { useCallback, useSyncExternalStore } from 'react';
import { session, type SessionState } from './session.ts';

/** The session's state for React, and `can(permission)` for menus, routes and buttons. */
export function useSession(): SessionState & { can: (permission: string) => boolean } {
  const state = useSyncExternalStore(session.subscribe, () => session.snapshot);
  // `state` is a dependency so a component re-renders its permission checks when the user changes.
  const can = useCallback((permission: string) => state.me !== null && session.can(permission), [state]);
  return { ...state, can };
}
