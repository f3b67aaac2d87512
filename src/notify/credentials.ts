// Channel credentials come from an environment variable or a file, never from the config inline.
// Every value read becomes a Secret, which also teaches redactText to scrub it from any later text.
import { readFileSync } from "node:fs";
import { Secret } from "../util/secret.js";

export class ChannelConfigError extends Error {
  override readonly name = "ChannelConfigError";
}

export interface CredentialSource {
  env: NodeJS.ProcessEnv;
  /** Reads a file's text; injectable for tests. */
  readFile?: (path: string) => string;
}

/**
 * Resolve `<what>Env` / `<what>File` of one channel. Returns undefined when neither is configured;
 * throws ChannelConfigError (one line naming channel, field and fix) when one is configured but empty.
 */
export function resolveCredential(
  channel: string,
  field: string,
  envName: string | undefined,
  fileName: string | undefined,
  source: CredentialSource,
): Secret | undefined {
  if (envName) {
    const value = source.env[envName];
    if (value === undefined || value.trim() === "") {
      throw new ChannelConfigError(
        `alert channel "${channel}": ${field}Env names ${envName}, which is not set — export it (e.g. in the unit's EnvironmentFile) or use ${field}File`,
      );
    }
    return new Secret(value.trim());
  }
  if (fileName) {
    let text: string;
    try {
      text = (source.readFile ?? ((p) => readFileSync(p, "utf8")))(fileName);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
      throw new ChannelConfigError(`alert channel "${channel}": ${field}File ${fileName} cannot be read (${code}) — create it (mode 0600) or fix the path`);
    }
    const value = text.split(/\r?\n/)[0]?.trim() ?? "";
    if (!value) throw new ChannelConfigError(`alert channel "${channel}": ${field}File ${fileName} is empty — put the ${field} on its first line`);
    return new Secret(value);
  }
  return undefined;
}
