import { describe, expect, it } from "@jest/globals";
import { buildInstallation } from "../../src/fake/installation.js";
import { unverifiedFindings } from "../../src/checks/unverified.js";
import { beyondVerified, versionWithVerification } from "../../src/openclaw/verified.js";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const inst = (version: string | null, schemas: { file: string; role: "state" | "agent"; version: number }[] = []) => {
  const i = buildInstallation({ stateDir: "/home/u/.openclaw", agents: [] });
  i.paths.home = "/home/u";
  i.version = { version, source: "schema", era: "E", evidence: [], schemas };
  return i;
};

describe("versions and schemas newer than any clawpatrol was verified on", () => {
  it("nothing to say up to 2026.9.6 with state schema 18 and agent schema 23", () => {
    expect(unverifiedFindings(inst("2026.9.6", [{ file: "/home/u/.openclaw/state/openclaw.sqlite", role: "state", version: 18 }, { file: "/a.sqlite", role: "agent", version: 23 }]), NOW)).toEqual([]);
    expect(unverifiedFindings(inst("2026.5.28"), NOW)).toEqual([]);
    expect(versionWithVerification("2026.9.6")).toBe("2026.9.6");
    expect(versionWithVerification(null)).toBe("(version unknown)");
  });

  it("a newer schema under a version that is not newer (or unknown) is its own finding, naming the file", () => {
    const fs = unverifiedFindings(inst(null, [{ file: "/home/u/.openclaw/state/openclaw.sqlite", role: "state", version: 19 }]), NOW);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ kind: "openclaw.unverified-version", severity: "info", subject: { file: "~/.openclaw/state/openclaw.sqlite" } });
    expect(fs[0]!.summary).toBe("~/.openclaw/state/openclaw.sqlite has state schema 19, newer than 18 (the newest clawpatrol has read, written by OpenClaw 2026.9.6): clawpatrol assumes the tables and columns it reads mean what they meant, and checked that every table and column it reads is there");
  });

  it("every agent database with a newer schema is named in one finding", () => {
    const fs = unverifiedFindings(inst("2026.9.6", [1, 2].map((n) => ({ file: `/home/u/.openclaw/agents/a${n}/agent/db.sqlite`, role: "agent" as const, version: 24 }))), NOW);
    expect(fs.map((f) => [f.subject, f.summary.slice(0, 40)])).toEqual([[{ file: "~/.openclaw/agents" }, "2 agent databases have agent schema 24, "]]);
    expect(beyondVerified({ version: "2026.10.0", schemas: [] }).map((u) => u.what)).toEqual(["version"]);
  });
});
