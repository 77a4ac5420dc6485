/**
 * `1 blob`, `2 blobs`, `0 blobs`: counts in messages read as English. The plural form is given where
 * adding an s is wrong (`1 match`, `3 matches`).
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
