// tests/tools/check-trace.js FILE CPUS FINDING: checks a Chrome trace-event
// report as Perfetto would read it: it parses; process 1 has one track per
// vCPU (cpu0..cpuCPUS-1), each with context slices that do not overlap, and
// an IRQL counter; process 2 has a track per lock with hold slices; the
// finding FINDING is a global instant event. Prints PASS or FAIL lines.
"use strict";
const fs = require("fs");
const [file, cpus, finding] = process.argv.slice(2);
const check = (ok, what) => console.log(`${ok ? "PASS" : "FAIL"} ${what}`);
let trace;
try {
    trace = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (error) {
    check(false, `${file} parses as JSON: ${error.message}`);
    process.exit(1);
}
const events = trace.traceEvents || [];
const tracks = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.pid === 1).map((e) => e.args.name);
const expected = Array.from({ length: Number(cpus) }, (_, c) => `cpu${c}`);
check(JSON.stringify(tracks) === JSON.stringify(expected), `one track per vCPU: ${tracks.join(" ")}`);
const slices = events.filter((e) => e.ph === "X" && e.pid === 1);
let disjoint = true;
for (let c = 0; c < Number(cpus); c++) {
    const own = slices.filter((e) => e.tid === c).sort((a, b) => a.ts - b.ts);
    disjoint = disjoint && own.length > 0;
    for (let i = 1; i < own.length; i++) disjoint = disjoint && own[i].ts >= own[i - 1].ts + own[i - 1].dur;
}
check(disjoint, "every vCPU has context slices, none overlapping");
const kinds = new Set(slices.map((e) => e.cat));
check([...kinds].every((k) => ["thread", "DPC", "threaded DPC", "ISR"].includes(k)), `slice categories: ${[...kinds]}`);
check(events.some((e) => e.ph === "C" && e.name === "IRQL cpu0"), "an IRQL counter per vCPU");
check(events.some((e) => e.ph === "X" && e.pid === 2 && e.cat === "hold"), "lock hold slices on the lock tracks");
const found = events.filter((e) => e.ph === "i" && e.s === "g" && e.name === finding);
check(found.length === 1, `the finding ${finding} is one global instant event`);
