// Takes the README's dashboard screenshots (docs/dashboard-calls.png, docs/dashboard-call.png) with the
// browser-test setup: a fresh Callbridge and stack, a few simulated calls, Debian's chromium.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/support/browser.ts';
import { startDashboardServer } from '../e2e/support/dashboard-server.ts';

const DOCS = fileURLToPath(new URL('../../../docs/', import.meta.url));
const CALLS = 5;

const callbridge = await startDashboardServer();
const browser = await launchBrowser();
try {
  const auth = { authorization: `Bearer ${callbridge.apiKey}` };
  const callIds: string[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    // The last call plays live, so the list shows one still running.
    const pace = index === CALLS - 1 ? 1 : 0;
    const response = await fetch(`${callbridge.url}/api/v1/dev/simulate-call?pace=${pace}`, {
      method: 'POST',
      headers: auth,
    });
    const { data } = (await response.json()) as { data: { callId: string } };
    callIds.push(data.callId);
  }
  const finished = callIds[0] as string;
  await fetch(`${callbridge.url}/api/v1/vapi/calls/${finished}?wait=30`, { headers: auth });
  // Long enough for the live call to be in progress.
  await new Promise((resolve) => setTimeout(resolve, 4000));

  await mkdir(DOCS, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${callbridge.url}/dashboard/`);
  await page.getByLabel('API key').fill(callbridge.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.stream-state.live').waitFor();
  await page.locator(`tr[data-call-id="${finished}"]`).waitFor();
  await page.screenshot({ path: `${DOCS}dashboard-calls.png` });

  await page.goto(`${callbridge.url}/dashboard/calls/${encodeURIComponent(finished)}`);
  await page.getByRole('heading', { name: 'Transcript' }).waitFor();
  await page.screenshot({ path: `${DOCS}dashboard-call.png`, fullPage: true });
  process.stdout.write(`screenshots in ${DOCS}\n`);
} finally {
  await browser.close();
  await callbridge.stop();
}
