// What every channel factory gets, and the fields every channel shares.
import type { Severity } from "../../checks/finding.js";
import type { Logger } from "../../util/log.js";
import { resolveCredential, ChannelConfigError, type CredentialSource } from "../credentials.js";
import { DEFAULT_SEVERITIES, type ChannelConfig } from "../types.js";
import type { Secret } from "../../util/secret.js";

export interface ChannelDeps extends CredentialSource {
  /** clawpatrol's state dir (default mbox location). */
  stateDir: string;
  logger: Logger;
  /** Reminder interval, for Alertmanager's endsAt. */
  repeatIntervalMs: number;
  /** Wall clock for send-time fields (Alertmanager endsAt). */
  now?: () => number;
}

export interface ChannelBaseFields {
  name: string;
  severities: readonly Severity[];
  sendResolved: boolean;
  timeoutMs: number;
}

export function baseFields(config: ChannelConfig): ChannelBaseFields {
  return {
    name: config.name,
    severities: config.severities?.length ? [...config.severities] : DEFAULT_SEVERITIES,
    sendResolved: config.sendResolved ?? true,
    timeoutMs: config.timeout ?? 10_000,
  };
}

/** url / urlEnv / urlFile, validated as http(s). */
export function resolveUrl(config: { name: string; url?: string; urlEnv?: string; urlFile?: string }, deps: ChannelDeps, fallback?: string): string {
  const fromSecret = resolveCredential(config.name, "url", config.urlEnv, config.urlFile, deps)?.reveal();
  const url = fromSecret ?? config.url ?? fallback;
  if (!url) throw new ChannelConfigError(`alert channel "${config.name}": no url — set url, urlEnv or urlFile`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChannelConfigError(`alert channel "${config.name}": url is not a valid URL — use e.g. https://host/path`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ChannelConfigError(`alert channel "${config.name}": url must be http:// or https://`);
  }
  return url;
}

export function bearer(config: { name: string; tokenEnv?: string; tokenFile?: string }, deps: ChannelDeps): Secret | undefined {
  return resolveCredential(config.name, "token", config.tokenEnv, config.tokenFile, deps);
}

export function httpHeaders(extra: Record<string, string> | undefined, token: Secret | undefined): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "clawpatrol", ...(extra ?? {}) };
  if (token) headers.authorization = `Bearer ${token.reveal()}`;
  return headers;
}
