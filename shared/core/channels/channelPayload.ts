import type { ChannelRef } from '../rules/ruleNotifications';

export type ChannelKind = ChannelRef['kind'];

/** The HTTP request body of one notice to one kind of channel, ready for its sender. */
export interface ChannelPayload {
  readonly kind: ChannelKind;
  /** The exact text POSTed as `application/json; charset=utf-8`; a webhook signature covers these bytes. */
  readonly body: string;
  /** Headers besides Content-Type (the webhook's ledger and idempotency keys); never a secret. */
  readonly headers: Readonly<Record<string, string>>;
  /** Events the payload lists, after trimming to the channel's size limits. */
  readonly eventsShown: number;
  /** UTF-8 bytes of `body`. */
  readonly bytes: number;
}

/**
 * The largest payload of `build(n)` for n from `most` down to 0 events that `fits`: events are what
 * is dropped first when a notice is too big for its channel.
 *
 * @returns the payload and the events it lists; with 0 events it is returned even if it does not fit
 *   (the builders bound everything else so that it always does)
 */
export function fitEvents<T>(
  most: number,
  build: (events: number) => T,
  fits: (payload: T) => boolean,
): { payload: T; events: number } {
  for (let events = Math.max(0, most); events > 0; events--) {
    const payload = build(events);
    if (fits(payload)) return { payload, events };
  }
  return { payload: build(0), events: 0 };
}

/** UTF-8 bytes of a text. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
