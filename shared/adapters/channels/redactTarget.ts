/**
 * A webhook URL as it may be shown: scheme and host (with a port) only. NOTE: a Teams workflow URL
 * carries its signature in the query (`sig=`), a Slack one its token in the path: either is the
 * credential itself.
 */
export function targetOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    // Settings are checked before a sender exists; this only keeps a bad value out of a message.
    return '(unparsable URL)';
  }
}

/**
 * A function that takes every form of `url`'s credential out of a text (the whole URL, its path and
 * query, each at least 4 characters long, and each of `secrets`), for messages and details that quote
 * what a service or a network error said.
 */
export function redactor(url: string, secrets: readonly string[] = []): (text: string) => string {
  const hidden = new Set<string>([url, ...secrets]);
  try {
    const parsed = new URL(url);
    for (const part of [parsed.pathname + parsed.search, parsed.pathname, parsed.search, parsed.search.slice(1)]) {
      if (part.length >= 4) hidden.add(part);
      // A query value on its own (`sig=…`) is a secret too.
      for (const value of parsed.searchParams.values()) if (value.length >= 4) hidden.add(value);
    }
  } catch {
    // An unparsable URL is hidden whole only.
  }
  // Longest first, so the whole URL goes before its path is looked for inside it.
  const ordered = [...hidden].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, secret) => result.split(secret).join('***'), text);
}
