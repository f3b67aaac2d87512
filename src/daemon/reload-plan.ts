// What a config reload (SIGHUP) does with each section of clawpatrol's config: the daemon applies
// a changed section in place, except the ones naming the installation it watches, which need a
// restart (a new install means new baselines, followers and state). Unchanged sections are left alone.
import { isDeepStrictEqual } from "node:util";
import type { ClawpatrolConfig } from "../config/schema.js";

/** Sections applied at run time, in the order the daemon applies them. */
export const APPLIED_ON_RELOAD = ["log", "health", "runs", "drift", "probe", "alerts", "remedy", "status", "heartbeat", "verify"] as const;
/** Sections that take effect only after a restart. */
export const RESTART_ON_RELOAD = ["openclaw"] as const;

export type ReloadSection = (typeof APPLIED_ON_RELOAD)[number] | (typeof RESTART_ON_RELOAD)[number];

// Every section is one of the two: a new section that is neither fails to compile here.
type Unclassified = Exclude<keyof ClawpatrolConfig, ReloadSection | "$schema">;
const _everySectionClassified: Unclassified extends never ? true : never = true;
void _everySectionClassified;

export interface ReloadPlan {
  apply: ReloadSection[];
  restart: ReloadSection[];
}

// The remedy engine's "verified within the last probe interval" comes from probe.authSchedule.
const ALSO_READ_BY: Partial<Record<ReloadSection, ReloadSection[]>> = { probe: ["remedy"] };

export function reloadPlan(before: ClawpatrolConfig, after: ClawpatrolConfig): ReloadPlan {
  const differs = (section: ReloadSection) => !isDeepStrictEqual(before[section], after[section]);
  const dependents = new Set(Object.entries(ALSO_READ_BY).flatMap(([section, readers]) => (differs(section as ReloadSection) ? readers : [])));
  const changed = (section: ReloadSection) => differs(section) || dependents.has(section);
  return { apply: APPLIED_ON_RELOAD.filter(changed), restart: RESTART_ON_RELOAD.filter(changed) };
}
