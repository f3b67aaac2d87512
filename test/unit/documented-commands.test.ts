// The command-line extraction behind test/integration/documented-commands.test.ts: prose ends a
// command, synopses expand, labels are skipped, placeholders are filled from the option they follow.
import { describe, expect, it } from "@jest/globals";
import { commandLines, markdownCode, mentionsIn, parseShape, tsStrings, type CommandShape, type Fixture } from "../support/documented-commands.js";

const help = (usage: string, options: string[], commands: string[] = []) =>
  `Usage: clawpatrol ${usage}\n\nOptions:\n${options.map((o) => `  ${o}  x`).join("\n")}\n${commands.length ? `\nCommands:\n${commands.map((c) => `  ${c}  x`).join("\n")}\n` : ""}`;
const shapes = new Map<string, CommandShape>([
  ["explain", parseShape("explain", help("explain [options]", ["--agent <id>", "--json"]))],
  ["verify", parseShape("verify", help("verify [options]", ["--agent <id>", "--json"]))],
  ["silence", parseShape("silence", help("silence [options]", ["--agent <id>", "--kind <kind>", "--for <duration>", "--reason <text>", "--clear <id>"]))],
  ["fallback", parseShape("fallback", help("fallback [options]", ["--agent <id>", "--to <model>", "--yes"]), ["--agent", "--to"])],
  ["completion", parseShape("completion", help("completion [options] <shell>", []))],
  ["config", parseShape("config", help("config [options] [command]", []), [])],
]);
shapes.get("config")!.subcommands.push("check");
shapes.set("config check", parseShape("config check", help("config check [options]", ["--config <file>"])));
const fixture: Fixture = { byOption: { agent: "main", to: "a/b", for: "2h" }, byValueName: { kind: "auth.rejected", text: "why" }, byArgument: { shell: "bash", "*": "main" }, fallback: "x" };
const lines = (text: string) => mentionsIn(text, [...shapes.keys()].filter((k) => !k.includes(" ")), "t").flatMap((m) => (commandLines(m, shapes, fixture) ?? []).map((l) => l.argv.join(" ")));

describe("finding documented command lines", () => {
  it("ends a command where the prose goes on, and skips labels that name a command", () => {
    expect(lines("then run clawpatrol explain --agent main, and see")).toEqual(["explain --agent main"]);
    expect(lines("clawpatrol config file (default: …)")).toEqual([]);
    expect(lines("via clawpatrol fallback")).toEqual([]);
    expect(lines("audited as clawpatrol silence --clear")).toEqual([]);
    expect(lines("(start it: clawpatrol config check)")).toEqual(["config check"]);
  });

  it("expands synopses: [a|b] and `--agent ID|--kind K` are one line per alternative; placeholders are filled by option", () => {
    expect(lines("clawpatrol silence --agent ID|--kind K --for 2h [--reason …]")).toEqual(["silence --agent main --for 2h --reason why", "silence --kind auth.rejected --for 2h --reason why"]);
    expect(lines("clawpatrol completion bash|zsh|fish")).toEqual(["completion bash", "completion zsh", "completion fish"]);
    expect(lines("clawpatrol fallback --agent ID --to MODEL --yes")).toEqual(["fallback --agent main --to a/b --yes"]);
  });

  it("keeps a placeholder where the command takes no argument, so the mistake is run and caught", () => {
    expect(lines("find out why: clawpatrol explain AGENT")).toEqual(["explain main"]);
  });

  it("reads template literals: a substitution glued to a word is an optional suffix", () => {
    const src = "const a = `Run: clawpatrol verify${scope} --json now`; const b = `why: clawpatrol explain${agent ? ` ${agent}` : \"\"}`; const c = `clawpatrol fallback --agent ${agent.id} --to ${to} --yes   (runs: x)`;";
    const texts = tsStrings("x.ts", src);
    const found = texts.flatMap((t) => lines(t));
    expect(found).toEqual(["verify --json", "explain main", "fallback --agent main --to a/b --yes"]);
  });

  it("reads only code in markdown", () => {
    expect(markdownCode("run clawpatrol explain main in prose, `clawpatrol explain --json` in code\n```sh\nclawpatrol config check\n```\n")).toEqual(["clawpatrol config check", "", "clawpatrol explain --json"]);
  });
});
