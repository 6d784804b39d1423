import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { openDashboard, signIn, waitUntilLive } from './support/dashboard-page.ts';
import {
  curePoisonedCall,
  getCallResult,
  poisonCall,
  postWebhook,
  uniqueCallId,
  vapiFixture,
} from './support/webhooks.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe('the dashboard in a real browser', () => {
  it('signs in with an API key, refusing a wrong one, and keeps the key out of the page', async () => {
    const page = await openDashboard(browser, { signIn: false });
    await signIn(page, 'not-a-key-0123456789');
    await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();

    await signIn(page, 'cb_e2e_key_0f1e2d3c4b5a6978');
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    expect(await page.content()).not.toContain('cb_e2e_key_0f1e2d3c4b5a6978');
    await page.context().close();
  });

  it('shows a webhook posted while the list is open, without a reload, and follows its status', async () => {
    const page = await openDashboard(browser);
    await waitUntilLive(page);
    const callId = uniqueCallId('e2e-live');
    const row = page.locator(`tr[data-call-id="${callId}"]`);
    expect(await row.count()).toBe(0);

    await postWebhook(vapiFixture('status-update-in-progress', callId));
    await row.getByText('in-progress').waitFor();
    await postWebhook(vapiFixture('end-of-call-report', callId));
    await row.getByText('completed').waitFor();
    await page.context().close();
  });

  it('shows a call: the transcript as turns and the recording in an audio element', async () => {
    const callId = uniqueCallId('e2e-call');
    await postWebhook(vapiFixture('status-update-in-progress', callId));
    await postWebhook(vapiFixture('end-of-call-report', callId));
    const { recordingUrl } = await getCallResult(callId);

    const page = await openDashboard(browser);
    await page.getByRole('link', { name: callId }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    const turns = page.locator('.transcript .turn');
    expect(await turns.count()).toBe(2);
    expect(await turns.nth(0).textContent()).toContain('Assistant');
    expect(await turns.nth(0).textContent()).toContain('Hi, this is Concierge calling for Pat');
    expect(await turns.nth(1).textContent()).toContain('Customer');
    expect(await turns.nth(1).textContent()).toContain('¿está bien?');
    expect(recordingUrl).toContain(callId);
    expect(await page.locator('audio').getAttribute('src')).toBe(recordingUrl);
    await page.getByText('Provider confirmed availability tomorrow at 9am.').waitFor();
    await page.locator('.timeline').getByText('in-progress').waitFor();
    await page.context().close();
  });

  it('shows a failed delivery with its reason, and replays it once the cause is fixed', async () => {
    const callId = uniqueCallId('e2e-failed');
    await poisonCall(callId);
    try {
      await postWebhook(vapiFixture('end-of-call-report', callId));
    } finally {
      await curePoisonedCall(callId);
    }

    const page = await openDashboard(browser);
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByLabel('Call id').fill(callId);
    await page.getByRole('button', { name: 'Apply' }).click();
    const failed = page.locator('tr.failed');
    await failed.waitFor();
    expect(await failed.textContent()).toMatch(/failed\s+database-rejected:23514/);

    await failed.getByRole('button', { name: /Replay delivery/ }).click();
    await failed.getByText('replayed: stored').waitFor();
    await page
      .locator('tr:not(.failed)')
      .filter({ hasText: 'stored' })
      .filter({ hasText: 'replay of' })
      .waitFor();

    await page.getByRole('link', { name: callId }).first().click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.context().close();
  });

  it('plays a simulated call from the button, live in the list', async () => {
    const page = await openDashboard(browser);
    await waitUntilLive(page);
    await page.getByRole('button', { name: 'Simulate a call' }).click();
    const link = page.locator('.notice a');
    await link.waitFor();
    const callId = await link.textContent();
    expect(callId).toMatch(/^sim-/);
    await page.locator(`tr[data-call-id="${callId}"]`).waitFor();
    await page.context().close();
  });

  it('works at phone width without scrolling the page sideways, and from the keyboard', async () => {
    const page = await openDashboard(browser, { viewport: { width: 390, height: 844 } });
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    let reached = false;
    for (let presses = 0; presses < 10 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Deliveries');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.context().close();
  });
});
