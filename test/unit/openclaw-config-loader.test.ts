import { describe, expect, test, beforeEach, afterEach } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAuthoredConfig, substituteVars } from "../../src/openclaw/config-loader.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cp-cfg-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

describe("openclaw.json loading ($include, JSON5)", () => {
  test("reads JSON5 with comments and trailing commas", () => {
    const p = write("openclaw.json", `// c\n{ gateway: { port: 1234, }, }`);
    const r = loadAuthoredConfig(p);
    expect(r.issues).toEqual([]);
    expect(r.authored).toEqual({ gateway: { port: 1234 } });
  });

  test("a single $include replaces the object and siblings override it", () => {
    write("agents.json5", `{ defaults: { model: "a/b", workspace: "~/w" }, list: [{ id: "main" }] }`);
    const p = write("openclaw.json", `{ agents: { $include: "./agents.json5", defaults: { model: "c/d" } } }`);
    const r = loadAuthoredConfig(p);
    expect(r.issues).toEqual([]);
    expect(r.authored).toEqual({ agents: { defaults: { model: "c/d", workspace: "~/w" }, list: [{ id: "main" }] } });
    expect(r.files).toEqual([p, join(dir, "agents.json5")]);
    expect(r.origins.get("agents.defaults.workspace")).toBe(join(dir, "agents.json5"));
    expect(r.origins.get("agents.defaults.model")).toBe(p);
  });

  test("an include list deep-merges in order, later files win", () => {
    write("a.json5", `{ x: 1, nested: { a: 1, b: 1 } }`);
    write("sub/b.json5", `{ nested: { b: 2 } }`);
    const p = write("openclaw.json", `{ part: { $include: ["./a.json5", "./sub/b.json5"] } }`);
    expect(loadAuthoredConfig(p).authored).toEqual({ part: { x: 1, nested: { a: 1, b: 2 } } });
  });

  test("includes resolve relative to the including file", () => {
    write("sub/inner.json5", `{ v: "deep" }`);
    write("sub/outer.json5", `{ inner: { $include: "./inner.json5" } }`);
    const p = write("openclaw.json", `{ o: { $include: "./sub/outer.json5" } }`);
    expect(loadAuthoredConfig(p).authored).toEqual({ o: { inner: { v: "deep" } } });
  });

  test("an include outside the config dir is refused with a finding-ready issue", () => {
    const outside = mkdtempSync(join(tmpdir(), "cp-out-"));
    writeFileSync(join(outside, "x.json5"), "{ a: 1 }");
    const p = write("openclaw.json", `{ a: { $include: ${JSON.stringify(join(outside, "x.json5"))} } }`);
    const r = loadAuthoredConfig(p);
    expect(r.issues[0]?.kind).toBe("config.invalid");
    expect(r.issues[0]?.message).toMatch(/outside the config directory/);
    rmSync(outside, { recursive: true, force: true });
  });

  test("OPENCLAW_INCLUDE_ROOTS allows an extra root", () => {
    const outside = mkdtempSync(join(tmpdir(), "cp-root-"));
    writeFileSync(join(outside, "x.json5"), "{ a: 1 }");
    const p = write("openclaw.json", `{ a: { $include: ${JSON.stringify(join(outside, "x.json5"))} } }`);
    expect(loadAuthoredConfig(p, { OPENCLAW_INCLUDE_ROOTS: outside }).authored).toEqual({ a: { a: 1 } });
    rmSync(outside, { recursive: true, force: true });
  });

  test("include nesting deeper than 10 levels is an issue, not a hang", () => {
    for (let i = 0; i < 12; i++) write(`l${i}.json5`, `{ n: { $include: "./l${i + 1}.json5" } }`);
    write("l12.json5", `{ end: true }`);
    const p = write("openclaw.json", `{ root: { $include: "./l0.json5" } }`);
    const r = loadAuthoredConfig(p);
    expect(r.issues.some((i) => /deeper than 10/.test(i.message))).toBe(true);
  });

  test("an include cycle is reported", () => {
    write("a.json5", `{ b: { $include: "./b.json5" } }`);
    write("b.json5", `{ a: { $include: "./a.json5" } }`);
    const p = write("openclaw.json", `{ x: { $include: "./a.json5" } }`);
    expect(loadAuthoredConfig(p).issues.some((i) => /cycle/.test(i.message))).toBe(true);
  });

  test("broken JSON5 names the file and the line", () => {
    const p = write("openclaw.json", `{\n  gateway: {\n    port: 18789,,\n  }\n}`);
    const r = loadAuthoredConfig(p);
    expect(r.authored).toBeNull();
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.kind).toBe("config.invalid");
    expect(r.issues[0]!.message).toContain(p);
    expect(r.issues[0]!.line).toBe(3);
  });

  test("a broken included file is an issue naming that file", () => {
    write("bad.json5", `{ oops `);
    const p = write("openclaw.json", `{ a: { $include: "./bad.json5" } }`);
    const r = loadAuthoredConfig(p);
    expect(r.issues[0]!.file).toBe(join(dir, "bad.json5"));
  });
});

describe("${VAR} substitution", () => {
  const env: Record<string, string> = { KEY: "v1", BASE: "http://h" };
  const lookup = (n: string) => env[n];
  test("replaces references, concatenates, and keeps $${VAR} literal", () => {
    const r = substituteVars({ a: "${KEY}", b: "${BASE}/v1", c: "$${KEY}", d: ["${KEY}"], e: 5 }, lookup, () => "f");
    expect(r.value).toEqual({ a: "v1", b: "http://h/v1", c: "${KEY}", d: ["v1"], e: 5 });
    expect(r.issues).toEqual([]);
  });
  test("a missing variable stays visibly unresolved and becomes config.missing-var", () => {
    const r = substituteVars({ models: { providers: { groq: { apiKey: "${GROQ_API_KEY}" } } } }, lookup, () => "/x/openclaw.json");
    expect((r.value as any).models.providers.groq.apiKey).toBe("${GROQ_API_KEY}");
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ kind: "config.missing-var", path: "models.providers.groq.apiKey", file: "/x/openclaw.json" });
    expect(r.issues[0]!.fix).toContain("GROQ_API_KEY=");
  });
  test("lower-case names are not variables", () => {
    expect(substituteVars({ a: "${lower}" }, lookup, () => "f").value).toEqual({ a: "${lower}" });
  });
});
