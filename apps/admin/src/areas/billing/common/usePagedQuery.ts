// Moved to ui/usePagedQuery.ts; finance still imports it from here (to be pointed at ui/, then this goes).
export { usePagedQuery } from '../../../ui/usePagedQuery.ts';
