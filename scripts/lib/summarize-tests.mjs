// Adds up the vitest JSON reports of every workspace package into one closing line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(path.join(root, group))) {
    const report = path.join(root, group, name, '.test-results/vitest.json');
    if (!existsSync(report)) continue;
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + results.numTodoTests;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
