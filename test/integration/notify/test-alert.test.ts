import { describe, it, expect, afterAll, beforeAll } from "@jest/globals";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTestAlert } from "../../../src/cli/test-alert.js";
import { SMTP_PASSWORD, T0, WEBHOOK_SECRET } from "../../unit/notify/fixtures.js";
import { TestHttp, TestSmtp, header } from "./servers.js";

describe("clawpatrol test-alert", () => {
  let smtp: TestSmtp;
  let http: TestHttp;
  const dir = mkdtempSync(join(tmpdir(), "cp-test-alert-"));
  beforeAll(async () => {
    const gone = await new TestHttp().start();
    const closedPort = gone.port;
    await gone.stop();
    smtp = await new TestSmtp({ users: { alerts: SMTP_PASSWORD } }).start();
    http = await new TestHttp().start();
    writeFileSync(join(dir, "smtp-pass"), SMTP_PASSWORD + "\n", { mode: 0o600 });
    writeFileSync(
      join(dir, "config.json5"),
      `{
        alerts: {
          channels: [
            // comments are fine: this is JSON5
            { name: "ops-mail", type: "email", host: "127.0.0.1", port: ${smtp.port}, starttls: "off",
              username: "alerts", passwordFile: "${join(dir, "smtp-pass")}", from: "cp@host-a", to: ["a@x.org", "b@x.org"] },
            { name: "hook", type: "webhook", url: "${http.url("/hook")}", secretEnv: "CP_HOOK_SECRET" },
            { name: "dead", type: "webhook", url: "http://127.0.0.1:${closedPort}/nowhere" },
            { name: "mbox", type: "mailbox", path: "${join(dir, "alerts.mbox")}" },
          ],
        },
      }`,
    );
  });
  afterAll(async () => {
    await smtp.stop();
    await http.stop();
  });

  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { env: { CP_HOOK_SECRET: WEBHOOK_SECRET, HOME: dir, XDG_STATE_HOME: dir }, out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), now: () => T0, host: "host-a" } };
  }

  it("sends through every channel and reports each server's answer", async () => {
    const r = io();
    const code = await runTestAlert({ config: join(dir, "config.json5") }, r.io);
    const text = r.out.join("");
    expect(text).toMatch(/^ok {4}ops-mail \(email\): 250 /m);
    expect(text).toMatch(/^ok {4}hook \(webhook\): HTTP 200 OK: ok$/m);
    expect(text).toMatch(/^FAIL {2}dead \(webhook\): ECONNREFUSED/m);
    expect(text).toMatch(/^ok {4}mbox \(mailbox\): appended to /m);
    expect(code).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(["a@x.org", "b@x.org"]);
    expect(header(smtp.mails[0]!.raw, "Subject")).toBe("host-a: clawpatrol test alert via ops-mail");
    expect(JSON.parse(http.requests[0]!.body)).toMatchObject({ schema: 1, type: "test" });
    expect(readFileSync(join(dir, "alerts.mbox"), "utf8")).toContain("clawpatrol test alert via mbox");
    for (const s of [SMTP_PASSWORD, WEBHOOK_SECRET]) expect(text + r.err.join("")).not.toContain(s);
  });

  it("tests one channel with --channel and exits 0 when it works", async () => {
    const r = io();
    expect(await runTestAlert({ config: join(dir, "config.json5"), channel: "hook" }, r.io)).toBe(0);
    expect(r.out.join("")).toMatch(/^ok {4}hook/);
    const bad = io();
    expect(await runTestAlert({ config: join(dir, "config.json5"), channel: "nope" }, bad.io)).toBe(3);
    expect(bad.err.join("")).toContain('no alert channel named "nope" (configured: ops-mail, hook, dead, mbox)');
  });

  it("refuses an inline password with one line naming the file and the fix", async () => {
    const file = join(dir, "inline.json5");
    writeFileSync(file, `{ alerts: { channels: [{ name: "m", type: "email", host: "h", from: "a@b", to: ["c@d"], password: "${SMTP_PASSWORD}" }] } }`);
    const r = io();
    expect(await runTestAlert({ config: file }, r.io)).toBe(3);
    expect(r.err.join("")).toContain(`${file}: alerts.channels[0].password: secrets never go inline`);
    expect(r.err.join("")).not.toContain(SMTP_PASSWORD);
  });
});
