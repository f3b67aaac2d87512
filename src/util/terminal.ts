// What the terminal allows: colour (only on a TTY, never with NO_COLOR or TERM=dumb) and the width
// to wrap human output to (the TTY's columns, else $COLUMNS, else no wrapping for pipes).

export interface TerminalLike {
  isTTY?: boolean;
  columns?: number;
}

export function colorAllowed(stream: TerminalLike, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb";
}

/** Columns to wrap to; 0 = do not wrap (a pipe without $COLUMNS: scripts get whole lines). */
export function wrapWidth(stream: TerminalLike, env: NodeJS.ProcessEnv): number {
  const cols = stream.isTTY && stream.columns ? stream.columns : Number(env.COLUMNS);
  return Number.isFinite(cols) && cols >= 40 ? cols : 0;
}

/**
 * Wrap each line to `width` at spaces. Continuation lines keep the line's indent plus `hang`
 * (so a wrapped finding lines up under its text, not under its label). Words longer than a line
 * (paths, commands) are left whole rather than cut.
 */
export function wrapLines(text: string, width: number, hang: (line: string) => number = () => 2): string {
  if (width <= 0) return text;
  return text
    .split("\n")
    .map((line) => {
      if (line.length <= width) return line;
      const lead = /^\s*/.exec(line)![0];
      const indent = " ".repeat(lead.length + hang(line));
      const out: string[] = [];
      let cur = lead;
      for (const word of line.slice(lead.length).split(" ")) {
        const fresh = cur === lead || cur === indent;
        if (!fresh && cur.length + 1 + word.length > width) {
          out.push(cur);
          cur = indent + word;
        } else cur = fresh ? cur + word : `${cur} ${word}`;
      }
      out.push(cur);
      return out.join("\n");
    })
    .join("\n");
}
