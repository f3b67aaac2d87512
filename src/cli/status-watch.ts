// `clawpatrol status --watch`: redraw whenever the daemon rewrites status.json (and every few
// seconds regardless, so "last loop Ns ago" and "not running" stay true when nothing writes it).
// Each frame is exactly what `clawpatrol status` prints, its complaints included. Ctrl-C ends it.
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";
import type { CliIO, StatusCommandOptions } from "./status.js";

export interface WatchOptions {
  /** Redraw at least this often, ms. */
  refreshMs?: number;
  /** Resolves when the watch should end (SIGINT by default). */
  until?: Promise<void>;
}

const CLEAR = "\x1b[H\x1b[2J";

export async function watchStatus(
  options: StatusCommandOptions,
  io: CliIO,
  path: string,
  render: (options: StatusCommandOptions, io: CliIO) => Promise<number>,
  watchOptions: WatchOptions = {},
): Promise<number> {
  let last = 0;
  let drawing: Promise<void> | null = null;
  let again = false;
  const draw = async (): Promise<void> => {
    let frame = "";
    const frameIO: CliIO = { ...io, out: (t) => (frame += t), err: (t) => (frame += t) };
    last = await render({ ...options, path }, frameIO);
    const stamp = `— clawpatrol status --watch · ${new Date(io.now()).toISOString().slice(11, 19)}Z · Ctrl-C to stop\n`;
    io.out((io.color ? CLEAR : "\n") + frame + stamp);
  };
  const redraw = (): void => {
    if (drawing) {
      again = true;
      return;
    }
    drawing = draw().finally(() => {
      drawing = null;
      if (again) {
        again = false;
        redraw();
      }
    });
  };

  // The writer replaces the file by rename: watch the directory, not the (replaced) inode.
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), (_event, name) => {
      if (name === null || name === basename(path)) redraw();
    });
    watcher.on("error", () => undefined);
  } catch {
    // No directory yet (daemon never ran): the timer below still redraws, and says so.
  }
  const timer = setInterval(redraw, watchOptions.refreshMs ?? 2000);
  redraw();
  await (watchOptions.until ?? new Promise<void>((resolve) => process.once("SIGINT", () => resolve())));
  clearInterval(timer);
  watcher?.close();
  await drawing;
  return last;
}
