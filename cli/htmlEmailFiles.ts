import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { AlertEmail } from '../shared/core/mail/alertEmail';

/** Longest part of a file name taken from a rule or group; the number in front keeps names apart. */
const MAX_NAME_PART = 60;

/**
 * `rules test --html DIR`: each e-mail a back-test would send, written as `DIR/001-shop-prod-checkout-5xx.html`
 * to open in a browser. Names are numbered in the order the e-mails were composed and hold only letters,
 * digits, `.`, `_` and `-`, whatever the rule's scope or the group (telemetry) holds.
 */
export class HtmlEmailFiles {
  private written = 0;
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {}

  /** Writes the e-mail's HTML part; returns the file's path. */
  async write(email: AlertEmail, rule: string, group: string): Promise<string> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const path = join(this.dir, htmlFileName(++this.written, rule, group));
    await writeFile(path, email.html, 'utf8');
    return path;
  }
}

/** `001-shop-prod-checkout-5xx-tenant-acme.html`: a safe, unique file name for the n-th e-mail. */
export function htmlFileName(n: number, rule: string, group: string): string {
  const parts = [rule, group].map(safePart).filter((part) => part !== '');
  return `${String(n).padStart(3, '0')}${parts.map((part) => `-${part}`).join('')}.html`;
}

function safePart(text: string): string {
  return text
    .slice(0, MAX_NAME_PART * 4)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_NAME_PART)
    .replace(/[-.]+$/, '');
}
