import type { AlertEmail } from '../../../shared/core/mail/alertEmail';
import type { SendOptions, SendReceipt } from '../../../shared/core/mail/mailer';
import type { BookHook, BookOp } from '../../helpers/memoryAlertBook';
import { ScriptedMailer } from './alertWorld';

/**
 * The scripted SendGrid-like mailer, keeping what each call was asked, and able to throw what no mailer
 * means to (a bug, a wrapper's blip) or to answer as the outbox does, with the file it wrote.
 */
export class RecordingMailer extends ScriptedMailer {
  readonly calls: { readonly email: AlertEmail; readonly options: SendOptions }[] = [];
  /** Thrown, one a call, before anything is sent. */
  readonly throws: Error[] = [];
  /** When set, answers as the outbox mailer does: with the path of the file it wrote. */
  location: string | undefined;

  override async send(email: AlertEmail, options: SendOptions = {}): Promise<SendReceipt> {
    this.calls.push({ email, options });
    const thrown = this.throws.shift();
    if (thrown) throw thrown;
    const receipt = await super.send(email, options);
    return this.location === undefined ? receipt : { ...receipt, provider: 'outbox', location: this.location };
  }
}

/** A book hook that makes `op` throw `message` its first `times` calls (`Infinity`: every call). */
export function failing(op: BookOp, times: number, message: string): BookHook {
  let left = times;
  return (o, when) => {
    if (o !== op || when !== 'before' || left <= 0) return;
    left--;
    throw new Error(message);
  };
}

/** The hooks in turn, each awaited. */
export function chain(...hooks: readonly BookHook[]): BookHook {
  return async (op, when) => {
    for (const hook of hooks) await hook(op, when);
  };
}
