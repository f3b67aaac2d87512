// clawpatrol's own files are never written through a symlink planted in their place: the alert
// mailbox, the audit journal and the alert spool refuse the link, leave its target untouched, and
// keep their own files at 0600.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMailboxChannel } from "../../src/notify/channels/mailbox.js";
import { Spool } from "../../src/notify/spool.js";
import { AuditLog } from "../../src/remedy/audit.js";
import type { AlertMessage } from "../../src/notify/types.js";
import type { AuditRecord } from "../../src/remedy/types.js";
import { silentLogger } from "../../src/util/log.js";

let dir: string;
let victim: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cp-nofollow-"));
  victim = join(dir, "someone-elses-file");
  writeFileSync(victim, "precious\n", { mode: 0o644 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const message: AlertMessage = {
  id: "inc-1:firing:0",
  type: "firing",
  severity: "critical",
  host: "test",
  subject: "[clawpatrol] CRITICAL gateway.down",
  text: "the gateway is down",
  html: "<p>the gateway is down</p>",
  createdAt: Date.parse("2026-11-30T08:00:00Z"),
  threadId: "inc-1",
  reminder: 0,
  incidents: [],
  suppressed: [],
};

function untouched(): void {
  expect(readFileSync(victim, "utf8")).toBe("precious\n");
  expect(statSync(victim).mode & 0o777).toBe(0o644);
}

describe("files clawpatrol writes do not follow symlinks", () => {
  it("alerts.mbox: a symlink in its place is refused with a message naming it; the target is untouched", async () => {
    const mbox = join(dir, "alerts.mbox");
    symlinkSync(victim, mbox);
    const channel = createMailboxChannel({ name: "mailbox", type: "mailbox", path: mbox } as never, { stateDir: dir, logger: silentLogger, repeatIntervalMs: 3600_000, env: {} } as never);
    await expect(channel.send(message)).rejects.toThrow(`cannot append to ${mbox}: ${mbox} is a symlink`);
    untouched();
  });

  it("alerts.mbox created or found 0644 is appended to and left 0600", async () => {
    const mbox = join(dir, "alerts.mbox");
    writeFileSync(mbox, "", { mode: 0o644 });
    const channel = createMailboxChannel({ name: "mailbox", type: "mailbox", path: mbox } as never, { stateDir: dir, logger: silentLogger, repeatIntervalMs: 3600_000, env: {} } as never);
    await channel.send(message);
    expect(readFileSync(mbox, "utf8")).toContain("the gateway is down");
    expect(statSync(mbox).mode & 0o777).toBe(0o600);
  });

  it("audit.jsonl: a symlink in its place is refused; the target is untouched", () => {
    const path = join(dir, "audit.jsonl");
    symlinkSync(victim, path);
    const audit = new AuditLog(path);
    expect(() => audit.append({ op: "switch", agent: "main" } as unknown as AuditRecord)).toThrow(`${path} is a symlink`);
    untouched();
  });

  it("the spool: a channel directory replaced by a symlink is refused; nothing lands in the target", async () => {
    const spoolDir = join(dir, "spool");
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(spoolDir, { mode: 0o700 });
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(spoolDir, "mailbox"));
    const spool = new Spool(spoolDir, join(dir, "dead"));
    await spool.load();
    await expect(spool.add("mailbox", message, message.createdAt)).rejects.toThrow(`${join(spoolDir, "mailbox")} is a symlink`);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(spool.depth()).toBe(0);
  });

  it("the spool: its own directory replaced by a symlink is refused at load", async () => {
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(dir, "spool"));
    await expect(new Spool(join(dir, "spool"), join(dir, "dead")).load()).rejects.toThrow("is a symlink");
  });
});
