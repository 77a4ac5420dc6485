/** Settings that are missing or malformed; lists every problem at once so one fix-up round suffices. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Some alert e-mails of a blob could not be sent. Thrown so the Functions host retries the blob; the
 * ledger recorded each failure, and the alerts that did go out are not sent again.
 */
export class AlertDeliveryError extends Error {
  readonly code = 'ALERT_DELIVERY_FAILED';
  constructor(
    readonly summary: unknown,
    readonly failures: readonly string[],
  ) {
    super(`${failures.length} alert e-mail(s) could not be sent: ${failures.join('; ')}`);
    this.name = 'AlertDeliveryError';
  }
}
