import { shortId } from './ids.ts';

/**
 * Who did something, as a person reads it (ADR 17): the name when one is known (from `useActorNames` or the
 * answer itself), else the short id; the whole id on hover. `client:<id>` and `system` show as they are.
 */
export function ActorName({ actor, name }: { actor: string; name?: string | null | undefined }) {
  return <span title={actor}>{name ?? shortId(actor)}</span>;
}

/** The same as text, where only a string fits (a sentence's placeholder). */
export function actorText(actor: string, name?: string | null | undefined): string {
  return name ?? shortId(actor);
}
