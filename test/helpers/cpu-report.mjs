#!/usr/bin/env node
// Sums a LSHIFT_TEST_CPU_LOG file (see cpu-log.cjs) by test file: starts of the built CLI and
// their CPU-s, most first. `node test/helpers/cpu-report.mjs /tmp/cpu.log [rows]`
import { readFileSync } from 'node:fs';

const [file, rows = '30'] = process.argv.slice(2);
const byFile = new Map();
let starts = 0;
let total = 0;
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const [user, system, , test] = line.split('\t');
  if (test === undefined) continue;
  const cpu = Number(user) + Number(system);
  const entry = byFile.get(test) ?? { starts: 0, cpu: 0 };
  entry.starts += 1;
  entry.cpu += cpu;
  byFile.set(test, entry);
  starts += 1;
  total += cpu;
}
console.log(
  `${starts} CLI starts, ${total.toFixed(1)} CPU-s (${(total / Math.max(starts, 1)).toFixed(2)} a start)`,
);
for (const [test, { starts: n, cpu }] of [...byFile]
  .sort((a, b) => b[1].cpu - a[1].cpu)
  .slice(0, Number(rows)))
  console.log(`${cpu.toFixed(1).padStart(7)} CPU-s ${String(n).padStart(4)} starts  ${test}`);
