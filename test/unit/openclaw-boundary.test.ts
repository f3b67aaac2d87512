import { describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

// OpenClaw's formats live only in src/openclaw/: every other module asks the adapter's accessors.
// These names may not appear anywhere outside it, not even in a comment or a message.
const FILE_AND_TABLE_NAMES = [
  "transcript_events", "session_nodes", "session_windows", "session_pending_inputs",
  "auth_profile_store", "auth_profile_state",
  "openclaw-agent.sqlite", "auth-profiles.json", "auth-state.json", "sessions.json", "secrets.json", "clawdbot.json", "gateway.env",
];
// These stand in user-facing prose ("… in openclaw.json"), so only a whole string literal — a path
// being built — is forbidden; the path itself comes from openclaw/paths.ts or agent-files.ts.
const LITERAL_ONLY = ["openclaw.json", "models.json"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** `file:line name` for every OpenClaw file or table named outside `<root>/openclaw/`. */
function openclawNamesOutsideAdapter(root: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(root)) {
    const rel = relative(root, file).split(sep).join("/");
    if (rel.startsWith("openclaw/")) continue;
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      for (const name of FILE_AND_TABLE_NAMES) if (line.includes(name)) found.push(`src/${rel}:${i + 1} ${name}`);
      for (const name of LITERAL_ONLY) if (new RegExp(`["'\`/]${name.replace(".", "\\.")}["'\`]`).test(line)) found.push(`src/${rel}:${i + 1} "${name}"`);
    });
  }
  return found;
}

const SRC = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "src");

describe("OpenClaw's formats live only in src/openclaw/", () => {
  it("no file outside src/openclaw/ names an OpenClaw file or table", () => {
    expect(openclawNamesOutsideAdapter(SRC)).toEqual([]);
  });

  it("the scan finds a name planted outside the adapter, and ignores the adapter and prose", () => {
    const root = mkdtempSync(join(tmpdir(), "cp-boundary-"));
    try {
      mkdirSync(join(root, "openclaw"));
      mkdirSync(join(root, "watch"));
      writeFileSync(join(root, "openclaw", "sessions.ts"), 'const t = "transcript_events";\nconst p = "auth-profiles.json";\n');
      writeFileSync(join(root, "watch", "follower.ts"), '// reads openclaw-agent.sqlite\nconst q = "SELECT * FROM transcript_events";\nconst c = join(dir, "openclaw.json");\nsay("fix it in openclaw.json");\n');
      expect(openclawNamesOutsideAdapter(root)).toEqual([
        "src/watch/follower.ts:1 openclaw-agent.sqlite",
        "src/watch/follower.ts:2 transcript_events",
        'src/watch/follower.ts:3 "openclaw.json"',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
