// One line per remedy action, as the log, the incident's action list and status.json show it.
import { shellQuote } from "./engine.js";
import { describeChange, type DocChange } from "./collateral.js";

export interface ActionRecord {
  op: string;
  agent?: string;
  after?: unknown;
  before?: unknown;
  dryRun?: boolean;
  result?: string;
  argv?: string[];
  collateral?: DocChange[];
  reverted?: string[];
}

export function actionText(record: ActionRecord, now: number): string {
  const also = record.collateral?.length ? `; OpenClaw also changed ${record.collateral.map(describeChange).join(", ")}` : "";
  const putBack = record.reverted?.length ? `; put back ${record.reverted.join(", ")}` : "";
  return baseActionText(record, now) + also + putBack;
}

function baseActionText(record: ActionRecord, now: number): string {
  const time = new Date(now).toISOString().slice(11, 16);
  const to = typeof record.after === "string" ? record.after : JSON.stringify(record.after);
  if (record.dryRun) return `would ${record.op === "restore" ? "restore" : "switch"} ${record.agent} to ${to} (observe mode): ${record.argv?.map(shellQuote).join(" ") ?? ""}`;
  if (record.op === "fallback") return `switched ${record.agent} to ${to} at ${time} UTC (${record.result})`;
  if (record.op === "restore") return `switched ${record.agent} back to ${to} at ${time} UTC (${record.result})`;
  if (record.op === "rollback") return `rolled ${record.agent} back to ${JSON.stringify(record.before)} at ${time} UTC`;
  return `${record.op} at ${time} UTC (${record.result})`;
}
