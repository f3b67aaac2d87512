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
        // A line holding only its label ("  primary:   ") keeps its value even when that is too long.
        const labelOnly = cur.trimEnd().length <= indent.length;
        if (!fresh && !labelOnly && cur.length + 1 + word.length > width) {
          out.push(cur.trimEnd());
          cur = indent + word;
        } else cur = fresh ? cur + word : `${cur} ${word}`;
      }
      out.push(cur.trimEnd());
      return out.join("\n");
    })
    .join("\n");
}

export interface Column {
  header: string;
  /** The cell may be shortened (middle "…") to this many characters when the table is too wide. */
  shrinkTo?: number;
}

/** `text` in at most `n` characters, keeping both ends (a fingerprint's tail survives). */
export function ellipsizeMiddle(text: string, n: number): string {
  if (text.length <= n) return text;
  const head = Math.ceil((n - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (n - 1 - head))}`;
}

const GAP = "  ";

function aligned(headers: string[], rows: string[][], widths: number[]): string[] {
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join(GAP).trimEnd();
  return [fmt(headers), ...rows.map(fmt)];
}

/**
 * A table that fits `width` columns (0 = no limit): aligned as is when it fits; else with its
 * shrinkable cells shortened in the middle; else, when even that is too wide, one block per row
 * ("HEADER  value" lines, values wrapped under themselves), as psql's expanded display does.
 */
export function fitTable(columns: readonly Column[], rows: readonly string[][], width: number): string {
  const headers = columns.map((c) => c.header);
  const natural = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i]!.length)));
  const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + GAP.length * (ws.length - 1);
  if (width <= 0 || total(natural) <= width) return aligned(headers, rows as string[][], natural).join("\n");

  const widths = [...natural];
  let excess = total(widths) - width;
  for (const i of columns.map((_, i) => i).sort((a, b) => natural[b]! - natural[a]!)) {
    const floor = Math.max(columns[i]!.shrinkTo ?? natural[i]!, columns[i]!.header.length);
    const cut = Math.min(excess, Math.max(0, widths[i]! - floor));
    widths[i]! -= cut;
    excess -= cut;
  }
  if (excess <= 0) return aligned(headers, rows.map((r) => r.map((c, i) => ellipsizeMiddle(c, widths[i]!))), widths).join("\n");

  const label = Math.max(...headers.map((h) => h.length)) + GAP.length;
  const blocks = rows.map((r) => r.map((c, i) => wrapLines(`${headers[i]!.padEnd(label)}${c}`, width, () => label)).join("\n"));
  return blocks.join("\n\n");
}
