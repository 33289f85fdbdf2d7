/**
 * AMQP topic matching, as a RabbitMQ topic exchange does it: the routing key and the binding pattern are
 * words separated by `.`; `*` matches exactly one word and `#` zero or more. The in-process transport routes
 * with it and the consumer dispatches with it, so both modes route the same way.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), routingKey.split('.'));
}

function matchWords(pattern: readonly string[], words: readonly string[]): boolean {
  // reachable[j]: the first i pattern words can match the first j key words. A table, not recursion, so a
  // pattern full of `#` stays linear in pattern × key instead of exponential.
  let reachable: boolean[] = [true, ...words.map(() => false)];
  for (const part of pattern) {
    const next: boolean[] = words.map(() => false).concat(false);
    if (part === '#') {
      let any = false;
      for (let j = 0; j <= words.length; j++) {
        any = any || (reachable[j] ?? false);
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= words.length; j++) {
        next[j] = (reachable[j - 1] ?? false) && (part === '*' || part === words[j - 1]);
      }
    }
    reachable = next;
  }
  return reachable[words.length] ?? false;
}

/** A pattern compiled once: `matches(type)` answers for every type later. */
export function topicMatcher(pattern: string): (routingKey: string) => boolean {
  const parts = pattern.split('.');
  if (!parts.includes('*') && !parts.includes('#')) return (routingKey) => routingKey === pattern;
  return (routingKey) => matchWords(parts, routingKey.split('.'));
}
