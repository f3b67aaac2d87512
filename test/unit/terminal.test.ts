import { describe, expect, it } from "@jest/globals";
import { colorAllowed, wrapLines, wrapWidth } from "../../src/util/terminal.js";

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
});
