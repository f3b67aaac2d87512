import { describe, expect, it } from "@jest/globals";
import { colorAllowed, ellipsizeMiddle, fitTable, wrapLines, wrapWidth } from "../../src/util/terminal.js";

describe("terminal output", () => {
  it("colour only on a TTY, never with NO_COLOR (any value) or TERM=dumb", () => {
    expect(colorAllowed({ isTTY: true }, { TERM: "xterm-256color" })).toBe(true);
    expect(colorAllowed({ isTTY: false }, {})).toBe(false);
    expect(colorAllowed({ isTTY: true }, { NO_COLOR: "" })).toBe(false);
    expect(colorAllowed({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });

  it("wraps to the TTY's columns, else $COLUMNS, else not at all (pipes keep whole lines)", () => {
    expect(wrapWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(wrapWidth({ isTTY: false }, { COLUMNS: "90" })).toBe(90);
    expect(wrapWidth({ isTTY: false }, {})).toBe(0);
  });

  it("breaks long lines at spaces with a hanging indent and never cuts a word", () => {
    const line = "WARNING  kind  " + "word ".repeat(30) + "/a/very/long/path/that/does/not/fit/on/any/line/at/all/because/it/is/long";
    const out = wrapLines(line, 40, () => 9).split("\n");
    expect(out.length).toBeGreaterThan(3);
    for (const l of out.slice(1)) expect(l.startsWith(" ".repeat(9))).toBe(true);
    for (const l of out) if (l.length > 40) expect(l.trim()).not.toContain(" ");
    expect(out.join(" ").replace(/\s+/g, " ")).toBe(line.replace(/\s+/g, " "));
    expect(wrapLines("short", 40)).toBe("short");
  });

  it("a label alone on its line keeps its value there even when the value is too long, and no line ends in spaces", () => {
    const out = wrapLines("  primary:   openrouter/moonshotai/kimi-k2.5-with-a-very-long-name", 30, () => 11).split("\n");
    expect(out).toEqual(["  primary:   openrouter/moonshotai/kimi-k2.5-with-a-very-long-name"]);
    expect(wrapLines("a b c d e f g h i j k l m n o p q r s t u v w x y z  ", 40).split("\n").every((l) => l === l.trimEnd())).toBe(true);
  });
});

describe("tables fit the terminal", () => {
  const columns = [{ header: "AGENT", shrinkTo: 8 }, { header: "USE" }, { header: "CREDENTIAL", shrinkTo: 20 }, { header: "RESULT" }];
  const rows = [
    ["main", "runtime", "stored profile openrouter:default (~/.openclaw/agents/main/agent/auth-profiles.json) (sk-or-v1-…04f4)", "FAIL auth 401"],
    ["writer", "other", "OPENROUTER_API_KEY from ~/.openclaw/.env line 4 (sk-or-v1-…a81c)", "ok"],
  ];

  it("as they are when they fit, or with no limit (a pipe)", () => {
    const wide = fitTable(columns, rows, 0).split("\n");
    expect(wide[0]).toMatch(/^AGENT {3}USE {6}CREDENTIAL {2,}RESULT$/);
    expect(wide[1]).toContain("(~/.openclaw/agents/main/agent/auth-profiles.json) (sk-or-v1-…04f4)  FAIL auth 401");
  });

  it("shrink the long cells in the middle, keeping the fingerprint at the end, when that is enough", () => {
    const lines = fitTable(columns, rows, 60).split("\n");
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^main {4}runtime {2}stored profile.*….*04f4\) {2}FAIL auth 401$/);
    expect(ellipsizeMiddle("abcdefghij", 5)).toBe("ab…ij");
  });

  it("become one block per row when even that is too wide", () => {
    const out = fitTable(columns, rows, 40);
    const lines = out.split("\n");
    for (const l of lines) if (l.length > 40) expect(l.trim()).not.toContain(" "); // only an unbreakable path
    expect(out).toMatch(/^AGENT {7}main\nUSE {9}runtime\nCREDENTIAL {2}stored profile/);
    expect(out).toContain("\n\nAGENT       writer\n");
    expect(out).toContain("RESULT      FAIL auth 401");
  });
});
