/** A party waiting for a digest, as the job reads it. */
export interface WaitingParty {
  partyId: string;
  country: string;
}

/** The parties of a digest by country, most first, then by country code: what a reader of a digest looks at. */
export function countByCountry(parties: readonly WaitingParty[]): { country: string; parties: number }[] {
  const counts = new Map<string, number>();
  for (const party of parties) counts.set(party.country, (counts.get(party.country) ?? 0) + 1);
  return [...counts]
    .map(([country, count]) => ({ country, parties: count }))
    .sort((a, b) => b.parties - a.parties || a.country.localeCompare(b.country));
}
