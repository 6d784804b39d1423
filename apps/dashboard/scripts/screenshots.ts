// Takes docs/dashboard.md's screenshots (docs/dashboard-calls.png, dashboard-call.png,
// dashboard-sources.png) with the
// browser-test setup: a fresh Callbridge and stack, a few simulated calls, Debian's chromium.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../e2e/support/browser.ts';
import { E2E_ADMIN_KEY, startDashboardServer } from '../e2e/support/dashboard-server.ts';

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

  // The admin key joins the read key in this tab; a new source shows its URL, secret and VAPI steps
  // (the secret of this throwaway stack only).
  await page.getByRole('link', { name: 'Sources' }).click();
  await page.getByLabel('Admin key', { exact: true }).fill(E2E_ADMIN_KEY);
  await page.getByRole('button', { name: 'Add key' }).click();
  const form = page.getByRole('form', { name: 'New source' });
  await form.getByLabel('Name').fill('Acme VAPI org');
  await form.getByRole('button', { name: 'Create source' }).click();
  await page.locator('.one-time .vapi-steps').waitFor();
  await page.screenshot({ path: `${DOCS}dashboard-sources.png`, fullPage: true });
  process.stdout.write(`screenshots in ${DOCS}\n`);
} finally {
  await browser.close();
  await callbridge.stop();
}
