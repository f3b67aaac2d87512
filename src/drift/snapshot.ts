// One watched file, read once: AIDE-style attributes (sha256, size, mode, uid/gid, mtime, inode)
// plus a semantic view — flattened leaves with volatile subtrees dropped and every secret replaced
// by its fingerprint. The semantic view is what drift compares, so a comment or whitespace edit
// changes the byte hash but not the semantic hash. Nothing in a snapshot holds a raw secret.
import { createHash } from "node:crypto";
import { isProfileBinding } from "../openclaw/profile-binding.js";
import { promises as fs } from "node:fs";
import { basename } from "node:path";
import { Secret, isSecretKeyName, isSecretReference, redactText } from "../util/secret.js";
import { parseJson5Text } from "../openclaw/config-loader.js";
import { environmentAssignments, isSecretEnvName, parseDotenv, parseUnitFile } from "../openclaw/env-files.js";
import { volatileReason, type WatchRole, type WatchedFile } from "../openclaw/watched-files.js";

export interface FileStat {
  size: number;
  /** Permission bits only (e.g. 0o600). */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

/**
 * Leaf encoding: JSON text of the value (`"openrouter/x"`, `5`, `true`, `null`, `{}`, `[]`), or
 * `secret:<fingerprint>` for a secret, or `long:<sha256 prefix> (<n> chars)` for a very long value.
 */
export type Leaves = Record<string, string>;

export interface FileSnapshot {
  path: string;
  role: WatchRole;
  kind: WatchedFile["kind"];
  /** null = the file does not exist. */
  stat: FileStat | null;
  /** null when the file is missing, unparsable, or not a structured kind. */
  leaves: Leaves | null;
  parseError?: string;
  /** Hash of the semantic view (leaves), or of the bytes when there is no semantic view. */
  semanticHash: string;
  /** Number of leaves dropped as volatile (reported by `explain`). */
  volatileDropped?: number;
}

const MAX_LEAF_CHARS = 400;
const MAX_LEAVES = 20_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function secretLeaf(value: string): string {
  return `secret:${new Secret(value).fingerprint}`;
}

/** Encode a string leaf: secret-named or secret-looking values become fingerprints. */
// A value that is already a fingerprint (the adapter's redacted `Installation.config`).
const FINGERPRINT = /^(?:[A-Za-z0-9_-]*…[A-Za-z0-9_-]{0,4}|\(\d+ chars\)) #[0-9a-f]{8}$/;

function stringLeaf(value: string, secretByName: boolean, sensitiveAll: boolean): string {
  if (FINGERPRINT.test(value)) return `secret:${value}`;
  if (value.length > 0 && !isSecretReference(value) && (secretByName || sensitiveAll || redactText(value) !== value)) return secretLeaf(value);
  const json = JSON.stringify(value);
  return json.length > MAX_LEAF_CHARS ? `long:${sha256(value).slice(0, 12)} (${value.length} chars)` : json;
}

function segment(key: string): string {
  return /^[A-Za-z0-9_$:@/-]+$/.test(key) && !key.includes(".") ? key : `[${JSON.stringify(key)}]`;
}

function joinPath(base: string, key: string): string {
  const seg = segment(key);
  if (!base) return seg;
  return seg.startsWith("[") ? `${base}${seg}` : `${base}.${seg}`;
}

interface FlattenContext {
  role: WatchRole;
  name: string;
  sensitiveAll: boolean;
  leaves: Leaves;
  count: number;
  dropped: number;
}

function flatten(value: unknown, path: string, parentKey: string, ctx: FlattenContext): void {
  if (ctx.count >= MAX_LEAVES) return;
  if (path && volatileReason(ctx.role, ctx.name, path)) {
    ctx.dropped++;
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) ctx.leaves[path] = "[]";
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, parentKey, ctx));
    return;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && path) ctx.leaves[path] = "{}";
    for (const [k, v] of entries) flatten(v, joinPath(path, k), k, ctx);
    return;
  }
  ctx.count++;
  // A provider's apiKey holding a profile id ("openrouter:manual", 2026.9.6) is a binding, not a secret.
  const binding = parentKey === "apiKey" && isProfileBinding(/providers\.([^.[\]]+)\.apiKey$/.exec(path)?.[1] ?? "", value);
  ctx.leaves[path || "(root)"] = typeof value === "string"
    ? stringLeaf(value, isSecretKeyName(parentKey) && !binding, ctx.sensitiveAll)
    : JSON.stringify(value ?? null);
}

/** Flatten a parsed JSON value (e.g. `Installation.config`) to redacted leaves. */
export function flattenJson(value: unknown, role: WatchRole = "config", name = "", sensitiveAll = false): { leaves: Leaves; dropped: number } {
  const ctx: FlattenContext = { role, name, sensitiveAll, leaves: {}, count: 0, dropped: 0 };
  flatten(value, "", "", ctx);
  return { leaves: ctx.leaves, dropped: ctx.dropped };
}

/** dotenv: one leaf per variable; a repeated name gets `NAME#2`, `NAME#3` (env.duplicate-key is lint's job). */
export function envLeaves(text: string): Leaves {
  const leaves: Leaves = {};
  const seen = new Map<string, number>();
  for (const { name, value } of parseDotenv(text)) {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    leaves[n === 1 ? name : `${name}#${n}`] = stringLeaf(value, isSecretEnvName(name), false);
  }
  return leaves;
}

/** systemd unit: `Section.Key` leaves; `Environment=` split per variable with secret names fingerprinted. */
export function unitLeaves(text: string): Leaves {
  const leaves: Leaves = {};
  const counts = new Map<string, number>();
  for (const { section, key, value } of parseUnitFile(text)) {
    if (key === "Environment") {
      for (const a of environmentAssignments(value)) leaves[`${section}.Environment.${a.name}`] = stringLeaf(a.value, isSecretEnvName(a.name), false);
      continue;
    }
    const base = `${section}.${key}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    leaves[n === 1 ? base : `${base}[${n - 1}]`] = stringLeaf(value, false, false);
  }
  return leaves;
}

export function semanticHashOf(leaves: Leaves): string {
  const h = createHash("sha256");
  for (const k of Object.keys(leaves).sort()) h.update(k).update("\0").update(leaves[k]!).update("\n");
  return `sem:${h.digest("hex")}`;
}

/** The semantic view of a file's text. Pure. */
export function normalizeContent(text: string, info: Pick<WatchedFile, "role" | "kind" | "sensitiveAll">, name: string): { leaves: Leaves | null; parseError?: string; dropped: number } {
  switch (info.kind) {
    case "json": {
      const parsed = parseJson5Text(text);
      if (parsed.ok) return flattenJson(parsed.value, info.role, name, info.sensitiveAll);
      // The parser's message can quote the offending text; keep only its position.
      return { leaves: null, parseError: parsed.line ? `does not parse as JSON5 (line ${parsed.line}, column ${parsed.column})` : "does not parse as JSON5", dropped: 0 };
    }
    case "env":
      return { leaves: envLeaves(text), dropped: 0 };
    case "unit":
      return { leaves: unitLeaves(text), dropped: 0 };
    default:
      return { leaves: null, dropped: 0 };
  }
}

/** Read one file into a snapshot. Never throws: an unreadable file is reported as missing with a parse error. */
export async function snapshotFile(path: string, info: WatchedFile): Promise<FileSnapshot> {
  const base: Omit<FileSnapshot, "stat" | "leaves" | "semanticHash"> = { path, role: info.role, kind: info.kind };
  let data: Buffer;
  let st: import("node:fs").Stats;
  try {
    st = await fs.stat(path);
    if (!st.isFile()) return { ...base, stat: null, leaves: null, semanticHash: "missing" };
    data = st.size > MAX_FILE_BYTES ? Buffer.alloc(0) : await fs.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { ...base, stat: null, leaves: null, semanticHash: "missing" };
    return { ...base, stat: null, leaves: null, parseError: `cannot be read (${code ?? "error"})`, semanticHash: `unreadable:${code}` };
  }
  const stat: FileStat = {
    size: st.size,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    mtimeMs: Math.round(st.mtimeMs),
    ino: st.ino,
    sha256: sha256(data),
  };
  if (st.size > MAX_FILE_BYTES) return { ...base, stat, leaves: null, parseError: `larger than ${MAX_FILE_BYTES} bytes; compared by size only`, semanticHash: `size:${st.size}` };
  const { leaves, parseError, dropped } = normalizeContent(data.toString("utf8"), info, basename(path));
  const snap: FileSnapshot = { ...base, stat, leaves, semanticHash: leaves ? semanticHashOf(leaves) : `bytes:${stat.sha256}` };
  if (parseError) snap.parseError = parseError;
  if (dropped) snap.volatileDropped = dropped;
  return snap;
}

/** sha256 of a file's bytes, for `recordOwnChange(file, expectedContentHash, …)`. null when missing. */
export async function fileSha256(path: string): Promise<string | null> {
  try {
    return sha256(await fs.readFile(path));
  } catch {
    return null;
  }
}
