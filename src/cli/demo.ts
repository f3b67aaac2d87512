// `clawpatrol demo`: the seed story on a bundled broken sandbox, no configuration, no network.
import type { Command } from "commander";
import { runDemo } from "../demo/run-demo.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("show clawpatrol on a bundled broken sandbox install (loopback only; cleans up after itself)")
    .option("--keep", "keep the sandbox directory for inspection")
    .option("--mailbox <file>", "where the demo's alerts are written (default: a new file in the temp dir)")
    .action(async (opts: { keep?: boolean; mailbox?: string }) => {
      const result = await runDemo({ out: (line) => process.stdout.write(line + "\n"), ...(opts.keep ? { keep: true } : {}), ...(opts.mailbox ? { mailbox: opts.mailbox } : {}) });
      process.exitCode = result.sawIncident ? 0 : 1;
    });
}
