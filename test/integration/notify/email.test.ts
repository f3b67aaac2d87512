import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../../src/util/clock.js";
import { silentLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { renderMessage } from "../../../src/notify/render.js";
import type { ChannelConfig, NotifiedEvent } from "../../../src/notify/types.js";
import { LEAKED_KEY, SMTP_PASSWORD, T0, incident, opened } from "../../unit/notify/fixtures.js";
import { TestSmtp, header, parts, selfSignedCert } from "./servers.js";

const env = { CP_SMTP_PASS: SMTP_PASSWORD };
const deps = (stateDir: string) => ({ env, stateDir, logger: silentLogger, repeatIntervalMs: 4 * 3_600_000 });

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("email alerts through a real SMTP server", () => {
  const cert = selfSignedCert();
  let smtp: TestSmtp;

  beforeAll(async () => {
    // STARTTLS with a self-signed certificate; AUTH is only offered once the session is encrypted.
    smtp = await new TestSmtp({ users: { alerts: SMTP_PASSWORD }, allowInsecureAuth: false, ...(cert ? { key: cert.key, cert: cert.cert } : {}) }).start();
  });
  afterAll(() => smtp.stop());

  it("delivers one mail to every recipient with a plain-text and an HTML part, after STARTTLS and AUTH", async () => {
    expect(cert).toBeDefined();
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const config: ChannelConfig = {
      name: "ops-mail",
      type: "email",
      host: "127.0.0.1",
      port: smtp.port,
      starttls: "required",
      username: "alerts",
      passwordEnv: "CP_SMTP_PASS",
      from: "clawpatrol@host-a.example",
      to: ["ops@example.org", "oncall@example.org"],
      caFile: cert!.certFile,
    };
    const { channels, problems } = createChannels([config], deps(stateDir));
    expect(problems).toEqual([]);
    const clock = new ManualClock(T0);
    const notified: NotifiedEvent[] = [];
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, onNotified: (e) => void notified.push(e) });
    const inc = incident({ id: "inc-1", actions: ["switched main to openai-codex/gpt-5.4 at 07:48"] });
    await d.onTransition(opened(inc));
    expect(smtp.mails.length).toBe(0); // still inside groupWait
    clock.advance(30_000);
    await d.tick();
    await d.close();

    expect(smtp.mails.length).toBe(1);
    const mail = smtp.mails[0]!;
    expect(mail.to.sort()).toEqual(["oncall@example.org", "ops@example.org"]);
    expect(mail.user).toBe("alerts");
    expect(mail.secure).toBe(true);
    expect(header(mail.raw, "Subject")).toBe("main on host-a: OpenRouter rejects the stored key (401) — env key works");
    expect(header(mail.raw, "To")).toContain("oncall@example.org");
    expect(header(mail.raw, "X-Clawpatrol-Id")).toBe("inc-1:firing:0:ops-mail");
    expect(header(mail.raw, "Message-ID")).toBe("<inc-1.firing.0.ops-mail@clawpatrol.host-a>");
    const body = parts(mail.raw);
    expect(body.map((p) => p.type)).toEqual(["text/plain", "text/html"]);
    const text = body[0]!.body;
    expect(text).toContain("since 07:46 UTC, 21 Nov 2026");
    expect(text).toContain("switched main to openai-codex/gpt-5.4 at 07:48");
    expect(text).toContain("openclaw models auth login --provider openrouter --agent main");
    expect(text).toContain("status: 401");
    expect(body[1]!.body).toContain("<li>switched main to openai-codex/gpt-5.4 at 07:48</li>");
    // the key that leaked into evidence and the SMTP password appear nowhere
    for (const secret of [LEAKED_KEY, SMTP_PASSWORD]) {
      expect(mail.raw).not.toContain(secret);
      for (const f of allFiles(stateDir)) expect(readFileSync(f, "utf8")).not.toContain(secret);
    }
    expect(notified).toEqual([{ messageId: "inc-1:firing:0:ops-mail", type: "firing", channel: "ops-mail", incidentIds: ["inc-1"], at: T0 + 30_000 }]);
    expect(d.spoolDepth()).toBe(0);
  });

  it("reports the server's own answer, and a wrong password as a rejection", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const base = { name: "m", type: "email" as const, host: "127.0.0.1", port: smtp.port, username: "alerts", from: "a@b.c", to: ["x@y.z"], caFile: cert!.certFile };
    const good = createChannels([{ ...base, passwordEnv: "CP_SMTP_PASS" }], deps(stateDir)).channels[0]!;
    const msg = renderMessage({ type: "test", host: "host-a", incidents: [], createdAt: T0, threadId: "test", channel: "m" });
    const ok = await good.send(msg);
    expect(ok.response).toMatch(/^250 /);
    await good.close?.();
    const bad = createChannels([{ ...base, passwordEnv: "WRONG" }], { ...deps(stateDir), env: { WRONG: "not-the-password" } }).channels[0]!;
    await expect(bad.send(msg)).rejects.toThrow(/535|Invalid/);
    await bad.close?.();
  });

  it("names the missing variable when the SMTP password env is not set", () => {
    const { channels, problems } = createChannels(
      [{ name: "m", type: "email", host: "h", from: "a@b.c", to: ["x@y.z"], username: "u", passwordEnv: "NOPE_NOT_SET" }],
      { env: {}, stateDir: "/tmp", logger: silentLogger, repeatIntervalMs: 1 },
    );
    expect(channels).toEqual([]);
    expect(problems).toEqual([expect.stringContaining('alert channel "m": passwordEnv names NOPE_NOT_SET, which is not set')]);
  });

  it("sends over SMTPS (TLS from the first byte) too", async () => {
    const tlsSmtp = await new TestSmtp({ secure: true, key: cert!.key, cert: cert!.cert }).start();
    try {
      const ch = createChannels(
        [{ name: "smtps", type: "email", host: "localhost", port: tlsSmtp.port, secure: true, from: "a@b.c", to: ["x@y.z"], caFile: cert!.certFile }],
        deps("/tmp"),
      ).channels[0]!;
      await ch.send(renderMessage({ type: "test", host: "host-a", incidents: [], createdAt: T0, threadId: "test" }));
      await ch.close?.();
      expect(tlsSmtp.mails.length).toBe(1);
      expect(tlsSmtp.mails[0]!.secure).toBe(true);
    } finally {
      await tlsSmtp.stop();
    }
  });

  it("keeps spool files private (mode 0600) while the server is unreachable", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const ch = createChannels([{ name: "down", type: "email", host: "127.0.0.1", port: 1, starttls: "off", from: "a@b.c", to: ["x@y.z"] }], deps(stateDir)).channels;
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels: ch, stateDir, clock, scheduler: false, policy: { groupWait: 0 } });
    await d.onTransition(opened(incident({ id: "inc-9" })));
    expect(d.spoolDepth()).toBe(1);
    const files = allFiles(join(stateDir, "notify", "spool"));
    expect(files.length).toBe(1);
    expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
    expect(d.spoolStatus().channels.down!.lastError).toMatch(/ECONNREFUSED/);
    await d.close();
  });
});
