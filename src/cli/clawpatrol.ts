#!/usr/bin/env node
// The `clawpatrol` executable. It checks the Node version before loading anything else: the
// commands import node:sqlite, which an older Node cannot even resolve (a stack trace, not a hint).
// On an older Node it runs the command on the Node 24 that came with the package (relaunch.ts).
import { nodeSatisfiesFloor } from "../util/node-floor.js";

if (nodeSatisfiesFloor(process.versions.node)) await import("./main.js");
else (await import("./relaunch.js")).relaunch(import.meta.url);
