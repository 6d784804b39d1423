// Adds up the vitest JSON reports of every workspace package into one closing line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name, '.test-results');
    if (!existsSync(dir)) continue;
    // vitest.json, and vitest-image.json from the container image test.
    for (const file of readdirSync(dir).filter((entry) => /^vitest.*\.json$/.test(entry))) {
      const results = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      passed += results.numPassedTests;
      failed += results.numFailedTests;
      // A file that failed before any test ran (a throwing beforeAll) has no failed test of its own.
      for (const file of results.testResults ?? []) {
        const anyFailed = file.assertionResults?.some((test) => test.status === 'failed');
        if (file.status === 'failed' && !anyFailed) failed += 1;
      }
      skipped += results.numPendingTests + results.numTodoTests;
    }
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
