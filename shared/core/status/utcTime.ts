/**
 * Times as the command line shows them: always UTC, with the zone written, so an operator in any time
 * zone reads the same thing the logs and the e-mails say.
 */

/** `2024-03-05 13:10:07 UTC`. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `14:05 UTC` on the same UTC day as `now`, else `2024-03-05 14:05 UTC`. */
export function formatUtcMinute(ms: number, now: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? iso.slice(11, 16) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`} UTC`;
}

/** How long ago: `just now`, `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`; a time ahead of `now` reads `in the future`. */
export function formatAge(ms: number, now: number): string {
  const age = now - ms;
  if (!Number.isFinite(age)) return 'unknown';
  if (age < 0) return 'in the future';
  const seconds = Math.floor(age / 1000);
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
