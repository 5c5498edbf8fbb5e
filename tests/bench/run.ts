/**
 * `npm run bench`: runs every `tests/bench/*.bench.ts` one after another (benchmarks share two
 * cores; running them in parallel would measure each other). Each prints `name: value unit`
 * lines on stdout; this runner passes them through and fails if one of them fails.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stderr.write(`# ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) {
    failed++;
    process.stderr.write(`# ${file} failed (exit ${run.status})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
