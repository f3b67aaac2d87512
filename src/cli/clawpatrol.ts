#!/usr/bin/env node
// The `clawpatrol` executable. It checks the Node version before loading anything else: the
// commands import node:sqlite, which an older Node cannot even resolve (a stack trace, not a hint).
import { nodeFloorProblem } from "../util/node-floor.js";

const problem = nodeFloorProblem(process.versions.node, process.execPath);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(3);
}
await import("./main.js");
