// `clawpatrol completion bash|zsh|fish`: a completion script generated from the registered
// commands and their options, so it can never list a command or flag that does not exist.
//   bash: source <(clawpatrol completion bash)       (or save to ~/.local/share/bash-completion/completions/clawpatrol)
//   zsh:  clawpatrol completion zsh > "${fpath[1]}/_clawpatrol"
//   fish: clawpatrol completion fish > ~/.config/fish/completions/clawpatrol.fish
import type { Command } from "commander";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionSpec {
  commands: { name: string; description: string; options: { flag: string; description: string }[] }[];
}

export function completionSpec(program: Command): CompletionSpec {
  return {
    commands: program.commands
      .filter((c) => c.name() !== "help")
      .map((c) => ({
        name: c.name(),
        description: c.description(),
        options: [...c.options.map((o) => ({ flag: o.long ?? o.short ?? "", description: o.description })).filter((o) => o.flag), { flag: "--help", description: "show help" }],
      })),
  };
}

// Single quotes are the only quoting each shell below needs; a description never needs more.
const sq = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
const zsq = (s: string): string => s.replace(/'/g, "'\\''").replace(/:/g, "\\:");

function bash(spec: CompletionSpec): string {
  const cases = spec.commands.map((c) => `    ${c.name}) opts=${sq(c.options.map((o) => o.flag).join(" "))} ;;`).join("\n");
  return `# clawpatrol bash completion: source <(clawpatrol completion bash)
_clawpatrol() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${sq(spec.commands.map((c) => c.name).join(" "))} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); fi
}
complete -o default -F _clawpatrol clawpatrol
`;
}

function zsh(spec: CompletionSpec): string {
  const cmds = spec.commands.map((c) => `    '${zsq(c.name)}:${zsq(c.description)}'`).join("\n");
  const cases = spec.commands
    .map((c) => `    ${c.name}) opts=(\n${c.options.map((o) => `      '${zsq(o.flag)}:${zsq(o.description)}'`).join("\n")}\n    ) ;;`)
    .join("\n");
  return `#compdef clawpatrol
# clawpatrol zsh completion: clawpatrol completion zsh > "\${fpath[1]}/_clawpatrol"
_clawpatrol() {
  local -a cmds opts
  cmds=(
${cmds}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' cmds
    return
  fi
  case $words[2] in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then _describe 'option' opts; else _files; fi
}
_clawpatrol "$@"
`;
}

function fish(spec: CompletionSpec): string {
  const lines = ["# clawpatrol fish completion: clawpatrol completion fish > ~/.config/fish/completions/clawpatrol.fish", "complete -c clawpatrol -f"];
  for (const c of spec.commands) {
    lines.push(`complete -c clawpatrol -n __fish_use_subcommand -a ${sq(c.name)} -d ${sq(c.description)}`);
    for (const o of c.options) {
      const flag = o.flag.startsWith("--") ? `-l ${sq(o.flag.slice(2))}` : `-s ${sq(o.flag.slice(1))}`;
      lines.push(`complete -c clawpatrol -n ${sq(`__fish_seen_subcommand_from ${c.name}`)} ${flag} -d ${sq(o.description)}`);
    }
  }
  return lines.join("\n") + "\n";
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  return shell === "bash" ? bash(spec) : shell === "zsh" ? zsh(spec) : fish(spec);
}

export function registerCompletion(program: Command): void {
  program
    .command("completion")
    .description("Print a shell completion script: bash, zsh or fish")
    .argument("<shell>", SHELLS.join("|"))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        process.stderr.write(`clawpatrol completion: unknown shell "${shell}" (bash, zsh or fish)\n`);
        process.exitCode = 3;
        return;
      }
      process.stdout.write(completionScript(shell as Shell, completionSpec(program)));
    });
}
