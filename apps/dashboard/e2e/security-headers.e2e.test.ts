import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { openDashboard } from './support/dashboard-page.ts';
import { postWebhook, uniqueCallId, vapiFixture } from './support/webhooks.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** What the browser refused under the page's Content-Security-Policy: console lines and violation events. */
function recordCspViolations(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  page.on('pageerror', (error) => {
    if (/Content Security Policy/i.test(error.message)) refused.push(error.message);
  });
  return refused;
}

async function listenForViolationEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Refused to load ${event.blockedURI} (${event.violatedDirective})`);
    });
  });
}

describe('the dashboard and /docs under the Content-Security-Policy', () => {
  it('render every dashboard view with no CSP violation', async () => {
    const callId = uniqueCallId('e2e-csp');
    await postWebhook(vapiFixture('status-update-in-progress', callId));
    await postWebhook(vapiFixture('end-of-call-report', callId));

    const context = await browser.newContext();
    const probe = await context.newPage();
    const response = await probe.goto(`${inject('callbridge').url}/dashboard/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await context.close();

    const page = await openDashboard(browser, { signIn: false });
    const refused = recordCspViolations(page);
    await listenForViolationEvents(page);
    await page.reload();
    await page.getByLabel('API key').fill(inject('callbridge').apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    await page.locator('.stream-state.live').waitFor();
    await page.getByRole('link', { name: callId }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    expect(await page.locator('audio').count()).toBe(1);
    for (const view of ['Overview', 'Deliveries']) {
      await page.getByRole('link', { name: view }).first().click();
      await page.getByRole('heading', { level: 1, name: view }).waitFor();
      // Charts and tables render after their data arrives.
      await page.waitForTimeout(500);
    }
    expect(refused).toEqual([]);
    await page.context().close();
  });

  it('renders the admin views (Sources) with no CSP violation', async () => {
    const page = await openDashboard(browser, { signIn: false });
    const refused = recordCspViolations(page);
    await listenForViolationEvents(page);
    await page.reload();
    await page.getByLabel('API key').fill(inject('callbridge').adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sources' }).waitFor();
    await page.waitForTimeout(500);
    expect(refused).toEqual([]);
    await page.context().close();
  });

  it('renders Swagger UI at /docs with the operations listed and no CSP violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const refused = recordCspViolations(page);
    await listenForViolationEvents(page);
    await page.goto(`${inject('callbridge').url}/docs`);
    await page.locator('.opblock-tag').first().waitFor();
    await page.getByText('/api/v1/vapi/webhook').first().waitFor();
    expect(refused).toEqual([]);
    await context.close();
  });

  it('does not play a recording whose URL is not https', async () => {
    const callId = uniqueCallId('e2e-http-recording');
    const report = JSON.parse(
      JSON.stringify(vapiFixture('end-of-call-report', callId)).replaceAll(
        'https://storage.vapi.ai/',
        'http://storage.vapi.ai/',
      ),
    );
    await postWebhook(report);

    const page = await openDashboard(browser);
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    await page.goto(`${inject('callbridge').url}/dashboard/calls/${encodeURIComponent(callId)}`);
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.getByText('Recording not played: its URL is not https.').waitFor();
    expect(await page.locator('audio').count()).toBe(0);
    expect(await page.locator('a[href^="http://"]').count()).toBe(0);
    await page.context().close();
  });
});
