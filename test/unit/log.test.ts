import { describe, it, expect } from "@jest/globals";
import { createLogger, incidentLogLevel, prettyLine } from "../../src/util/log.js";
import { Secret } from "../../src/util/secret.js";

const KEY = "sk-or-v1-" + "4f".repeat(32);
const ANTHROPIC = "sk-ant-api03-" + "Zx9".repeat(20);

function capture(pretty: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (l: string) => void lines.push(l) }, pretty, level: "debug" });
  return { logger, lines };
}

describe("logging", () => {
  for (const pretty of [false, true]) {
    it(`a secret logged by mistake never reaches the output (${pretty ? "terminal" : "journal JSON"})`, () => {
      const { logger, lines } = capture(pretty);
      const held = new Secret(ANTHROPIC);
      logger.warn({ apiKey: KEY, headers: { authorization: `Bearer ${KEY}` }, credential: held }, `probe failed for ${KEY}`);
      logger.error({ err: new Error(`provider said: invalid key ${ANTHROPIC}`) }, "boom");
      logger.info(`raw value ${held.reveal()} slipped into a message`);
      const text = lines.join("");
      expect(lines).toHaveLength(3);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(ANTHROPIC);
      expect(text).toContain(held.fingerprint);
    });
  }

  it("is readable on a terminal: time, level, message, fields", () => {
    const { logger, lines } = capture(true);
    logger.warn({ agent: "main", provider: "openrouter", status: 401 }, "route failing");
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN  route failing agent=main provider=openrouter status=401\n$/);
    expect(prettyLine('{"level":"error","time":"2026-11-21T07:48:02.000Z","msg":"x","note":"two words"}', true)).toBe(
      "\x1b[90m07:48:02\x1b[0m \x1b[31mERROR\x1b[0m x \x1b[90mnote=\"two words\"\x1b[0m\n",
    );
  });

  it("stays JSON lines for journald", () => {
    const { logger, lines } = capture(false);
    logger.info({ agent: "main" }, "hello");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", name: "clawpatrol", msg: "hello", agent: "main" });
  });

  it("an incident is logged at the level of its severity: critical → error, warning → warn; resolves at info", () => {
    expect(incidentLogLevel("opened", "critical")).toBe("error");
    expect(incidentLogLevel("updated", "critical")).toBe("error");
    expect(incidentLogLevel("opened", "warning")).toBe("warn");
    expect(incidentLogLevel("opened", "info")).toBe("info");
    expect(incidentLogLevel("resolved", "critical")).toBe("info");
  });
});
