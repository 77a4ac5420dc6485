/** How long the mute command an alert suggests lasts: long enough to fix, short enough to be forgotten safely. */
export const SUGGESTED_MUTE = '2h';

/**
 * The command that mutes a rule, as an alert's footer shows it:
 * `npx export-alerts rules mute checkout-5xx --scope shop-prod --for 2h`. Ids and scopes are quoted for
 * a POSIX shell where they hold anything but plain characters (a scope `*` would otherwise expand).
 */
export function muteCommand(rule: { readonly scope: string; readonly id: string }): string {
  return `npx export-alerts rules mute ${shellWord(rule.id)} --scope ${shellWord(rule.scope)} --for ${SUGGESTED_MUTE}`;
}

/** A word a POSIX shell reads back unchanged: as is when plain, else single-quoted. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9._:@%+=,/-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
