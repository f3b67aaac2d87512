// Literal secrets where they should not be (openclaw.json, generated models.json), and the
// redacted copy of a config that is safe to show: secret-named leaves become fingerprints.
import { Secret, isSecretKeyName, isSecretReference } from "../util/secret.js";
import { formatPath, isPlainObject, type PathPart } from "./config-path.js";
import { isProfileBindingAt } from "./profile-binding.js";
import type { PlaintextSecret } from "./types.js";

function providerAt(path: PathPart[]): string | undefined {
  const i = path.indexOf("providers");
  if (i >= 0 && typeof path[i + 1] === "string" && (path[0] === "models" || path[0] === "providers")) return String(path[i + 1]).toLowerCase();
  if (path[0] === "env") {
    const name = String(path[path.length - 1]);
    const m = /^(?:OPENCLAW_LIVE_)?([A-Z0-9]+(?:_[A-Z0-9]+)*?)_API_KEYS?$/.exec(name);
    if (m) return m[1]!.toLowerCase().replace(/_/g, "-");
  }
  return undefined;
}

function isLiteralSecret(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "" && !isSecretReference(v) && !v.includes("${");
}

/** Walk authored JSON (before ${VAR}) and list literal secrets. */
export function scanPlaintext(json: unknown, fileOf: (path: string) => string): PlaintextSecret[] {
  const out: PlaintextSecret[] = [];
  const walk = (v: unknown, path: PathPart[]): void => {
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = [...path, k];
        if (isSecretKeyName(k) && isLiteralSecret(x) && !isProfileBindingAt(p, x)) {
          const f: PlaintextSecret = { file: fileOf(formatPath(p)), path: formatPath(p), fingerprint: new Secret(x).fingerprint };
          const provider = providerAt(p);
          if (provider) f.provider = provider;
          out.push(f);
        } else walk(x, p);
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
  };
  walk(json, []);
  return out;
}

/** Deep copy with every secret-named string leaf replaced by its fingerprint. */
export function redactConfig<T>(json: T): T {
  const walk = (v: unknown, path: PathPart[]): unknown => {
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = [...path, k];
        out[k] = isSecretKeyName(k) && isLiteralSecret(x) && !isProfileBindingAt(p, x) ? new Secret(x).fingerprint : walk(x, p);
      }
      return out;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    return v;
  };
  return walk(json, []) as T;
}
