// Dot paths as OpenClaw's `config get/set` spells them: agents.list[0].model, models.providers.openrouter.apiKey.

export type PathPart = string | number;

export function formatPath(parts: readonly PathPart[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "number") out += `[${p}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function getPath(root: unknown, parts: readonly PathPart[]): unknown {
  let cur: unknown = root;
  for (const p of parts) {
    if (typeof p === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[p];
    } else {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[p];
    }
  }
  return cur;
}

export function getObj(root: unknown, ...parts: PathPart[]): Record<string, unknown> | undefined {
  const v = getPath(root, parts);
  return isPlainObject(v) ? v : undefined;
}

export function getStr(root: unknown, ...parts: PathPart[]): string | undefined {
  const v = getPath(root, parts);
  return typeof v === "string" ? v : undefined;
}
