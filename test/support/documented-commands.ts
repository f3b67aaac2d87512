// Every `clawpatrol …` command line a person is told to run — in README.md, docs/*.md, the example
// config's comments and the string literals of src/ (fix texts, details, hints) — found by scanning,
// not listed by hand, so a new command or a reworded fix text is picked up by itself. What a command
// accepts (its options, which take a value, its arguments and subcommands) is read from the built
// CLI's own --help, so the extraction knows no command by name.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** What `clawpatrol <command> --help` says the command accepts. */
export interface CommandShape {
  name: string;
  /** Long and short option names → whether the option takes a value. */
  options: Map<string, { takesValue: boolean; valueName: string | null; long: string }>;
  /** Arguments as <required> / [optional] in its usage line. */
  args: { required: boolean; name: string }[];
  subcommands: string[];
  /** `--x <v>` options the command refuses to run without. */
  requiredOptions: string[];
}

/** Command names from the general help's "Commands:" section. */
export function commandNames(generalHelp: string): string[] {
  return sectionLines(generalHelp, "Commands").map((l) => l.split(/\s+/)[0]!).filter((n) => n && n !== "help");
}

function sectionLines(help: string, title: string): string[] {
  const m = new RegExp(`^${title}:\\n((?:  .*\\n?|\\s*\\n)*)`, "m").exec(help);
  return m ? m[1]!.split("\n").filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim()) : [];
}

export function parseShape(name: string, help: string, requiredOptions: string[] = []): CommandShape {
  const usage = /^Usage: \S+(?: \S+)*? (?:\[options\])?(.*)$/m.exec(help)?.[1] ?? "";
  const args = [...usage.matchAll(/([<[])([^>\]]+)[>\]]/g)].filter((m) => m[2] !== "command" && m[2] !== "options").map((m) => ({ required: m[1] === "<", name: m[2]! }));
  const options = new Map<string, { takesValue: boolean; valueName: string | null; long: string }>();
  for (const line of sectionLines(help, "Options")) {
    const m = /^((?:-\w, )?--[\w-]+)(?: ([<[])([^>\]]+)[>\]])?/.exec(line);
    if (!m) continue;
    const names = m[1]!.split(", ");
    const long = names.at(-1)!.replace(/^--/, "");
    const shape = { takesValue: m[2] === "<" || m[2] === "[", valueName: m[3] ?? null, long };
    for (const n of names) options.set(n, shape);
  }
  return { name, options, args, subcommands: commandNames(help), requiredOptions };
}

/** One place a command line is written. */
export interface Mention {
  source: string;
  /** The text as found, from "clawpatrol" on. */
  text: string;
}

/** Text a person reads in markdown: inline code spans and fenced blocks (prose is not a command). */
export function markdownCode(text: string): string[] {
  const out: string[] = [];
  const withoutFences = text.replace(/^```[^\n]*\n([\s\S]*?)^```/gm, (_m, body: string) => {
    out.push(...body.split("\n"));
    return "";
  });
  for (const m of withoutFences.matchAll(/`([^`\n]+)`/g)) out.push(m[1]!.replace(/\\\|/g, "|"));
  return out;
}

/** String literals of a TypeScript file; template substitutions kept as `${expr}`. */
export function tsStrings(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) out.push(node.head.text + node.templateSpans.map((s) => `\${${s.expression.getText(sf)}}${s.literal.text}`).join(""));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Every "clawpatrol <command>" in `text`, with what follows it. */
export function mentionsIn(text: string, names: readonly string[], source: string): Mention[] {
  const out: Mention[] = [];
  const re = new RegExp(`(?<![\\w/.-])clawpatrol (${names.map((n) => n.replace(/[-]/g, "\\-")).join("|")})(?![\\w-])`, "g");
  for (const m of text.matchAll(re)) out.push({ source, text: text.slice(m.index) });
  return out;
}

export function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

/** README.md, docs/*.md, the example config and every src/ string literal. */
export function documentedMentions(repo: string, names: readonly string[]): Mention[] {
  const out: Mention[] = [];
  const add = (file: string, texts: string[]) => {
    for (const t of texts) out.push(...mentionsIn(t, names, relative(repo, file)));
  };
  for (const file of [join(repo, "README.md"), ...filesUnder(join(repo, "docs"), ".md")]) add(file, markdownCode(readFileSync(file, "utf8")));
  const example = join(repo, "config", "clawpatrol.example.json5");
  add(example, readFileSync(example, "utf8").split("\n"));
  for (const file of filesUnder(join(repo, "src"), ".ts")) add(file, tsStrings(file, readFileSync(file, "utf8")));
  return out;
}

// ---- from a mention to argv ---------------------------------------------------------------

/** Values for placeholders (ID, MODEL, ${agent.id}, <file>, …), chosen by the option they follow. */
export interface Fixture {
  byOption: Record<string, string>;
  byValueName: Record<string, string>;
  /** A positional argument of a command, by argument name (or "*"). */
  byArgument: Record<string, string>;
  fallback: string;
}

const PLACEHOLDER = /^(?:\$\{.*\}|[A-Z][A-Z_]*|<[^>]+>|…|\.\.\.)$/;
/** Shell syntax and prose separators end a command line. */
const STOP = /^(?:[|;&<>]+|\d?>.*|·|—|–|or|and|then|to|\/)$/;

export interface CommandLine {
  source: string;
  /** As written (trimmed to the command). */
  written: string;
  argv: string[];
}

/**
 * A substitution glued to the word before it (`verify${scope}`) is an optional suffix that brings
 * its own leading space: its "when set" branch (`cond ? \` --agent ${a}\` : ""`) is spliced in,
 * and a bare one (`${scope}`, which may be empty) is left out.
 */
function gluedSuffix(expr: string): string {
  return /\?\s*`([^`]*)`\s*:/.exec(expr)?.[1] ?? "";
}

/** Split into words, keeping each ${…} whole (it may hold spaces) and apart from a word it touches. */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("${", i)) {
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
      }
      if (cur) {
        out.push(cur, ...words(gluedSuffix(text.slice(i + 2, j))));
        cur = "";
        i = j;
        continue;
      }
      out.push(text.slice(i, j + 1));
      cur = "";
      i = j;
    } else if (/\s/.test(text[i]!)) {
      if (cur) out.push(cur);
      cur = "";
      if (text[i] === "\n") break;
    } else cur += text[i];
  }
  if (cur) out.push(cur);
  return out;
}

/** A word with sentence punctuation around it: the word, and whether the sentence goes on. */
function unpunctuate(word: string): { word: string; ends: boolean } {
  const m = /^(.*?)([),.;:`'"}\]!?]+)$/.exec(word);
  if (m && !/^\$\{/.test(word)) return { word: m[1]!, ends: true };
  return { word, ends: false };
}

/**
 * The command line a mention starts, as argv variants: synopsis groups are expanded
 * (`[--json|--short]` → one line per alternative), placeholders substituted from the fixture.
 * null when the mention is a label ("via clawpatrol fallback") rather than a line to run.
 */
export function commandLines(mention: Mention, shapes: Map<string, CommandShape>, fixture: Fixture): CommandLine[] | null {
  const all = words(mention.text);
  const first = unpunctuate(all[1]!);
  all[1] = first.word;
  let shape = shapes.get(all[1])!;
  if (!shape) throw new Error(`no shape for ${JSON.stringify(all.slice(0, 3))} in ${mention.source}: ${mention.text.slice(0, 80)}`);
  const head = ["clawpatrol", all[1]!];
  // Alternatives: each slot is a list of word sequences; a plain word is a slot of one.
  const slots: string[][][] = [];
  let positionals = 0;
  let i = first.ends ? all.length : 2;
  const takeValue = (opt: string): boolean => shape.options.get(opt.split("=")[0]!)?.takesValue === true && !opt.includes("=");
  while (i < all.length) {
    let raw = all[i]!;
    if (raw.startsWith("(") || STOP.test(raw)) break;
    if (raw.startsWith("[")) {
      // A synopsis group: [--json|--short], [--since 1h], [--reason …]
      let group = raw;
      while (!group.includes("]") && i + 1 < all.length) group += " " + all[++i]!;
      const inner = group.slice(1, group.indexOf("]"));
      slots.push(inner.split("|").map((alt) => alt.trim().split(/\s+/).filter(Boolean)));
      i++;
      continue;
    }
    const { word, ends } = unpunctuate(raw);
    if (!word) break;
    raw = word;
    if (raw.startsWith("-")) {
      // --agent ID|--kind K: two alternatives written as one.
      if (i + 1 < all.length && all[i + 1]!.includes("|") && all[i + 1]!.split("|")[1]!.startsWith("-")) {
        const [left, right] = all[i + 1]!.split("|") as [string, string];
        const rightValue = takeValue(right) && i + 2 < all.length ? [unpunctuate(all[i + 2]!).word] : [];
        slots.push([[raw, left], [right, ...rightValue]]);
        i += 2 + rightValue.length;
        continue;
      }
      if (takeValue(raw) && !ends) {
        // "via clawpatrol silence --clear": a label naming the command, not a line to run.
        if (i + 1 >= all.length || STOP.test(all[i + 1]!) || all[i + 1]!.startsWith("(")) return null;
        slots.push([[raw, unpunctuate(all[i + 1]!).word]]);
        i += 2;
        if (unpunctuate(all[i - 1]!).ends) break;
        continue;
      }
      slots.push([[raw]]);
      i++;
      if (ends) break;
      continue;
    }
    if (shape.subcommands.includes(raw) && head.length === 2) {
      head.push(raw);
      shape = shapes.get(`${head[1]} ${raw}`) ?? shape;
      i++;
      if (ends) break;
      continue;
    }
    // A positional: a placeholder always (it is meant as an argument, wanted or not), a plain word
    // only where the command takes one (so prose after a command name ends it).
    const alternatives = raw.split("|").filter(Boolean);
    if (alternatives.every((a) => PLACEHOLDER.test(a)) || positionals < shape.args.length) {
      slots.push(alternatives.map((a) => [a]));
      positionals++;
      i++;
      if (ends) break;
      continue;
    }
    break;
  }
  const needsMore = shape.subcommands.length > 0 && head.length === 2;
  const missingArg = shape.args.some((a, k) => a.required && k >= positionals);
  const missingOption = shape.requiredOptions.some((o) => !slots.some((s) => s.some((alt) => alt.includes(o))));
  if (needsMore || missingArg || missingOption) return null;

  // One line with the first alternative of every slot, then one per other alternative.
  const variants: string[][][] = [slots.map((s) => s[0]!)];
  slots.forEach((s, k) => s.slice(1).forEach((alt) => variants.push(slots.map((t, j) => (j === k ? alt : t[0]!)))));
  const written = [...head, ...slots.map((s) => s.map((a) => a.join(" ")).join("|"))].join(" ");
  return variants.map((v) => ({ source: mention.source, written, argv: substitute([...head.slice(1), ...v.flat()], shape, fixture) }));
}

function substitute(argv: string[], shape: CommandShape, fixture: Fixture): string[] {
  let argIndex = 0;
  return argv.map((word, k) => {
    if (k === 0 || (k === 1 && shape.name.includes(" ") && word === shape.name.split(" ")[1])) return word;
    if (word.startsWith("-")) return word;
    const prev = argv[k - 1]!;
    const opt = prev.startsWith("-") ? shape.options.get(prev) : undefined;
    if (opt?.takesValue) {
      if (!PLACEHOLDER.test(word)) return word;
      return fixture.byOption[opt.long] ?? (opt.valueName ? fixture.byValueName[opt.valueName] : undefined) ?? fixture.fallback;
    }
    const arg = shape.args[argIndex++];
    if (!PLACEHOLDER.test(word)) return word;
    return (arg && fixture.byArgument[arg.name]) ?? fixture.byArgument["*"] ?? fixture.fallback;
  });
}
