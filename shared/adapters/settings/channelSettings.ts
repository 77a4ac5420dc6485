import type { ChannelKind } from '../../core/channels/channelPayload';
import { CHANNEL_URL_SETTINGS, WEBHOOK_SECRET_SETTING } from '../../core/channels/channelSettingNames';
import type { ChannelRef } from '../../core/rules/ruleNotifications';
import type { Env } from './settingValues';

/** One configured channel: where a rule's `teams:OPS` posts. The URL and secret are secrets. */
export interface ChannelTarget {
  readonly kind: ChannelKind;
  readonly name: string;
  readonly url: string;
  /** WEBHOOK_SECRET_<NAME>, for a generic webhook only. */
  readonly secret?: string;
}

/** Every configured channel besides e-mail, read from TEAMS_WEBHOOK_*, SLACK_WEBHOOK_*, WEBHOOK_URL_*. */
export interface ChannelSettings {
  readonly targets: readonly ChannelTarget[];
}

const URL_SETTINGS = CHANNEL_URL_SETTINGS;
const SECRET_SETTING = WEBHOOK_SECRET_SETTING;
/** The suffix a rule's Notify names: letters, digits and `_` (ruleNotifications.ts). */
const NAME = /^[A-Za-z0-9_]{1,64}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Short secrets are guessable offline from one signed request. */
const MIN_SECRET_CHARS = 16;

/**
 * Reads the channel settings, pushing a problem per bad one. A blank setting is no channel. Problems
 * never quote a URL's path or query or a secret, only the setting's name and the URL's scheme and host.
 */
export function readChannelSettings(env: Env, problems: string[]): ChannelSettings {
  const targets: ChannelTarget[] = [];
  const secrets = new Map<string, string>();
  for (const [key, raw] of Object.entries(env)) {
    if (raw === undefined || raw.trim() === '') continue;
    if (key.startsWith(SECRET_SETTING)) {
      const name = key.slice(SECRET_SETTING.length);
      const secret = raw.trim();
      if (secret.length < MIN_SECRET_CHARS || /\s/.test(secret)) {
        problems.push(
          `${key} must be at least ${MIN_SECRET_CHARS} characters without spaces (value not shown: it is a secret)`,
        );
      } else if (NAME.test(name)) secrets.set(name, secret);
      continue;
    }
    const kind = (Object.keys(URL_SETTINGS) as ChannelKind[]).find((k) => key.startsWith(URL_SETTINGS[k]));
    if (kind === undefined) continue;
    const name = key.slice(URL_SETTINGS[kind].length);
    if (!NAME.test(name)) {
      problems.push(`${key}: '${name}' is not a channel name; use letters, digits and _ after ${URL_SETTINGS[kind]}`);
      continue;
    }
    const url = readWebhookUrl(key, raw.trim(), kind, problems);
    if (url !== undefined) targets.push({ kind, name, url });
  }
  const withSecrets = targets.map((target) => {
    if (target.kind !== 'webhook') return target;
    const secret = secrets.get(target.name);
    if (secret === undefined && !problems.some((p) => p.startsWith(`${SECRET_SETTING}${target.name} `))) {
      problems.push(
        `${URL_SETTINGS.webhook}${target.name} is set but ${SECRET_SETTING}${target.name} is not: every generic webhook is signed (docs/CHANNELS.md)`,
      );
    }
    return secret === undefined ? target : { ...target, secret };
  });
  for (const name of secrets.keys()) {
    if (!targets.some((t) => t.kind === 'webhook' && t.name === name)) {
      problems.push(
        `${SECRET_SETTING}${name} is set but ${URL_SETTINGS.webhook}${name} is not: a secret for no webhook`,
      );
    }
  }
  withSecrets.sort((a, b) => `${a.kind}:${a.name}`.localeCompare(`${b.kind}:${b.name}`));
  return { targets: withSecrets };
}

/** The configured target of a rule's channel, or undefined when its setting is missing. */
export function channelTarget(settings: ChannelSettings, ref: ChannelRef): ChannelTarget | undefined {
  return settings.targets.find((t) => t.kind === ref.kind && t.name === ref.name);
}

/**
 * An https URL, or http to this machine (local receivers). NOTE: the problem names only the scheme and
 * host: the path or query of a webhook URL is its credential.
 */
function readWebhookUrl(key: string, value: string, kind: ChannelKind, problems: string[]): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    problems.push(`${key} must be an https:// URL, found something else (value not shown: it is a secret)`);
    return undefined;
  }
  const shown = `${parsed.protocol}//${parsed.host}`;
  const local = parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !local) {
    problems.push(`${key} must be an https:// URL (http:// only to localhost or 127.0.0.1), found ${shown}/…`);
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    problems.push(`${key} must not carry a user name or password, found one in ${shown}/…`);
    return undefined;
  }
  // NOTE: a Workflows URL copied out of HTML keeps `&amp;` and then fails with 401
  // DirectApiAuthorizationRequired, its signature lost (jzsecops/wazuh-teams-workflows#4).
  if (kind === 'teams' && value.includes('&amp;')) {
    problems.push(`${key} holds '&amp;' (${shown}/…): it was copied from HTML; replace each &amp; with &`);
    return undefined;
  }
  return value;
}
