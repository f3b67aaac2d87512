// Secrets become fingerprints the moment the adapter reads them. A `Secret` keeps the raw value
// in a private field; JSON, string conversion and util.inspect all show only the fingerprint.
// Only a probe that must send the credential calls `reveal()`.
import { createHmac } from "node:crypto";
import { inspect } from "node:util";

const KNOWN_PREFIXES = ["sk-or-v1-", "sk-ant-oat01-", "sk-ant-api03-", "sk-ant-", "sk-proj-", "sk-", "gsk_", "xai-", "AIza", "ghp_", "pk-"];

let salt = "clawpatrol";
/** Per-installation salt so short tokens cannot be brute-forced from a fingerprint hash. */
export function setFingerprintSalt(value: string): void {
  salt = value;
}

// Every secret value read anywhere, so log lines and provider error bodies can be scrubbed
// even when a value turns up somewhere we did not expect it.
const seen = new Set<string>();
const MAX_SEEN = 10_000;

export function secretHash(value: string): string {
  return createHmac("sha256", salt).update(value).digest("hex").slice(0, 8);
}

export function fingerprintOf(value: string): string {
  const prefix = KNOWN_PREFIXES.find((p) => value.startsWith(p) && value.length > p.length + 8) ?? "";
  const tail = value.length >= 16 ? value.slice(-4) : "";
  const shown = prefix || tail ? `${prefix}…${tail}` : `(${value.length} chars)`;
  return `${shown} #${secretHash(value)}`;
}

export class Secret {
  readonly #value: string;
  readonly fingerprint: string;
  /** Salted short hash: compares two secrets without showing either. */
  readonly hash: string;

  constructor(value: string) {
    this.#value = value;
    this.fingerprint = fingerprintOf(value);
    this.hash = secretHash(value);
    if (value.length >= 6 && seen.size < MAX_SEEN) seen.add(value);
  }

  reveal(): string {
    return this.#value;
  }

  sameAs(other: Secret): boolean {
    return this.hash === other.hash;
  }

  toString(): string {
    return this.fingerprint;
  }

  toJSON(): string {
    return this.fingerprint;
  }

  [inspect.custom](): string {
    return `Secret(${this.fingerprint})`;
  }
}

// Secret-shaped strings, as a last line of defence for text we did not produce ourselves.
const SECRET_PATTERNS: RegExp[] = [
  /sk-(?:or-v1-|ant-(?:api03-|oat01-)?|proj-)?[A-Za-z0-9_-]{16,}/g,
  /gsk_[A-Za-z0-9]{16,}/g,
  /xai-[A-Za-z0-9]{16,}/g,
  /AIza[0-9A-Za-z_-]{30,}/g,
  /(?<=Bearer\s+)[A-Za-z0-9._~+/-]{12,}=*/gi,
  /(?<=(?:api[_-]?key|token|secret|password)["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/-]{12,}/gi,
];

/** Replace every known secret with its fingerprint and every secret-shaped run with `[redacted]`. */
export function redactText(text: string): string {
  let out = text;
  for (const value of seen) {
    if (out.includes(value)) out = out.split(value).join(fingerprintOf(value));
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, (m) => (m.includes("…") ? m : "[redacted]"));
  return out;
}

/** Deep copy of a JSON-ish value with every string passed through `redactText`. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactText(value) as T;
  if (value instanceof Secret) return value.fingerprint as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

const SECRET_KEY = /(^|[._-])(api[_-]?key|apikey|key|token|secret|password|passwd|access|refresh|authorization|cookie|private[_-]?key|credential)s?$/i;

/** Does a config/JSON key name hold a secret? (`apiKey`, `token`, `auth.password`, …) */
export function isSecretKeyName(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** A string that is only a reference, not a secret: `${VAR}`, `$VAR`, empty. */
export function isSecretReference(value: string): boolean {
  return value.trim() === "" || /^\$\{[A-Z_][A-Z0-9_]*\}$/.test(value.trim()) || /^\$[A-Z_][A-Z0-9_]*$/.test(value.trim());
}
