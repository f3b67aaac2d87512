// A daemon stand-in for the SIGKILL test: resumes the tracker from the store, keeps an incident open
// and rewrites a large state file as fast as it can until it is killed.
import "./ts-resolve.mjs";
const { HealthTracker } = await import("../../src/health/tracker.ts");
const { HealthStore } = await import("../../src/health/store.ts");
const { makeFinding } = await import("../../src/checks/finding.ts");

const dir = process.argv[2];
const store = new HealthStore({ dir });
let now = Date.parse("2026-11-21T07:00:00Z") + Number(process.argv[3] ?? 0) * 3_600_000;
const clock = { now: () => now };
const tracker = HealthTracker.fromState(store.load(), { clock, persist: store.persister(), persistEveryMs: 0 });
const route = { agent: "main", provider: "openrouter" };
const fail = () => makeFinding({ kind: "probe.failed", severity: "critical", subject: route, summary: "401 from openrouter", at: now });
const types = [];
for (let i = 0; i < 3; i++) {
  types.push(...tracker.report({ source: "probe", findings: [fail()], covers: [{ subject: route }] }).map((t) => t.type));
  now += 60_000;
}
process.stdout.write(JSON.stringify({ ready: true, transitions: types, open: tracker.openIncidents().filter((i) => i.subjectKey === "route:main/openrouter").map((i) => i.id) }) + "\n");
// Churn: hundreds of other subjects with bulky evidence, so each write takes a while.
for (let n = 0; ; n++) {
  const findings = [];
  for (let a = 0; a < 300; a++) {
    findings.push(makeFinding({ kind: "run.empty-reply", severity: "warning", subject: { agent: `agent-${a}` }, summary: `empty reply ${n}`, evidence: { blob: "x".repeat(400), n }, at: now }));
  }
  tracker.report({ source: "runs", findings: n % 2 ? findings : [], covers: [{ kinds: ["run.empty-reply"] }, { subject: route, kinds: ["probe.failed"] }], inconclusive: [{ subject: route }] });
  now += 1000;
}
