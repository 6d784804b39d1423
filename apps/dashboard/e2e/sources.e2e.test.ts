import { randomBytes } from 'node:crypto';
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

const adminKey = () => inject('callbridge').adminKey;
const uniqueName = (label: string) => `e2e ${label} ${randomBytes(3).toString('hex')}`;

/** Everything a page could still hold a secret in: the DOM, both storages and the address. */
async function pageHolds(page: Page, secret: string): Promise<boolean> {
  const html = await page.content();
  const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  return html.includes(secret) || stored.includes(secret) || page.url().includes(secret);
}

const oneTimePanel = (page: Page) => page.locator('.one-time');
const oneTimeValue = (page: Page, label: string) =>
  oneTimePanel(page).locator('.one-time-field', { hasText: label }).locator('.one-time-value');

async function hideOneTime(page: Page): Promise<void> {
  await oneTimePanel(page)
    .getByRole('button', { name: /I have copied it/ })
    .click();
  await oneTimePanel(page).waitFor({ state: 'detached' });
}

/** Creates a source through the form and reads what the one-time panel shows. */
async function createSource(page: Page, name: string) {
  const form = page.getByRole('form', { name: 'New source' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create source' }).click();
  await oneTimePanel(page)
    .getByRole('heading', { name: `Source “${name}” created` })
    .waitFor();
  const url = (await oneTimeValue(page, 'Webhook URL').textContent()) ?? '';
  const secret = (await oneTimeValue(page, 'Secret').textContent()) ?? '';
  const id = /\/sources\/([0-9a-f-]{36})\/webhook$/.exec(url)?.[1] ?? '';
  expect(id).not.toBe('');
  return { id, url, secret, row: page.locator(`tr[data-source-id="${id}"]`) };
}

describe('the Sources view in a real browser', () => {
  it('opens Sources for an admin key alone; the calls views ask for a read key until one is added', async () => {
    const page = await openDashboard(browser, { key: adminKey() });
    await page.getByRole('heading', { name: 'Sources', exact: true }).waitFor();
    expect(await page.locator('.stream-state').count()).toBe(0);

    await page.getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { name: 'This view needs a read key' }).waitFor();
    expect(await page.locator('.needs-key').textContent()).toContain('Admin keys manage sources');
    expect(await page.locator('table').count()).toBe(0);

    await page.getByLabel('Read key', { exact: true }).fill(adminKey());
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('alert').filter({ hasText: 'That is an admin key' }).waitFor();

    await page.getByLabel('Read key', { exact: true }).fill(inject('callbridge').apiKey);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    await page.locator('.stream-state.live').waitFor();
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('heading', { name: 'Sources', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.context().close();
  });

  it('shows a new source’s URL and secret once, beside the VAPI steps, and never again', async () => {
    const page = await openDashboard(browser, { key: adminKey() });
    const name = uniqueName('source');
    const { url, secret, row } = await createSource(page, name);
    expect(url).toBe(`${inject('callbridge').url}/api/v1/vapi/sources/${url.split('/').at(-2)}/webhook`);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const steps = await oneTimePanel(page).locator('.vapi-steps li').allTextContents();
    expect(steps[0]).toContain('HMAC authentication');
    expect(steps[1]).toContain('signature header x-signature');
    expect(steps.some((step) => step.includes(url))).toBe(true);
    expect(await pageHolds(page, secret)).toBe(true);

    // What the panel shows is what VAPI needs: a delivery signed with it is accepted at that URL.
    const callId = uniqueCallId('e2e-source');
    await postWebhook(vapiFixture('end-of-call-report', callId), { url, secret });

    await hideOneTime(page);
    expect(await pageHolds(page, secret)).toBe(false);
    await page.reload();
    await row.waitFor();
    expect(await pageHolds(page, secret)).toBe(false);
    expect(await row.textContent()).toContain(name);
    expect(await row.locator('td').nth(3).textContent()).toBe('1');
    await page.context().close();
  });

  it('rotates a secret, showing the new one once, and disables and enables a source', async () => {
    const page = await openDashboard(browser, { key: adminKey() });
    const { secret, row } = await createSource(page, uniqueName('rotate'));
    await hideOneTime(page);

    await row.getByRole('button', { name: 'Rotate secret…' }).click();
    const rotateForm = page.getByRole('form', { name: /Rotate the secret/ });
    await rotateForm.getByLabel('Overlap (hours)').fill('1');
    await rotateForm.getByRole('button', { name: 'Rotate secret' }).click();
    await oneTimePanel(page)
      .getByRole('heading', { name: /New secret for/ })
      .waitFor();
    const rotated = (await oneTimeValue(page, 'Secret').textContent()) ?? '';
    expect(rotated.length).toBeGreaterThanOrEqual(32);
    expect(rotated).not.toBe(secret);
    expect(await oneTimePanel(page).locator('.vapi-steps').textContent()).toContain(
      'previous secret is still accepted',
    );
    await hideOneTime(page);
    expect(await pageHolds(page, rotated)).toBe(false);

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('.badge', { hasText: 'disabled' }).waitFor();
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.locator('.badge', { hasText: 'active' }).waitFor();
    await page.context().close();
  });

  it('creates a scoped read key shown once, which reads only its source’s calls, and revokes it', async () => {
    const page = await openDashboard(browser, { key: adminKey() });
    const sourceName = uniqueName('scoped');
    const source = await createSource(page, sourceName);
    await hideOneTime(page);

    const keyName = uniqueName('key');
    const form = page.getByRole('form', { name: 'New scoped read key' });
    await form.getByLabel('Name').fill(keyName);
    await form.getByLabel(sourceName).check();
    await form.getByRole('button', { name: 'Create read key' }).click();
    await oneTimePanel(page)
      .getByRole('heading', { name: `Read key “${keyName}” created` })
      .waitFor();
    const key = (await oneTimeValue(page, 'Read key').textContent()) ?? '';
    expect(key).toMatch(/^cbk_/);
    await hideOneTime(page);
    expect(await pageHolds(page, key)).toBe(false);
    const keyRow = page.locator('table.read-keys tr', { hasText: keyName });
    expect(await keyRow.textContent()).toContain(sourceName);
    expect(await keyRow.textContent()).toContain(key.slice(0, 8));
    expect(await keyRow.textContent()).toContain('active');
    expect(await keyRow.textContent()).toContain('read only');

    const own = uniqueCallId('e2e-own');
    const other = uniqueCallId('e2e-other');
    await postWebhook(vapiFixture('end-of-call-report', own), source);
    await postWebhook(vapiFixture('end-of-call-report', other));
    const reader = await openDashboard(browser, { key });
    await reader.locator(`tr[data-call-id="${own}"]`).waitFor();
    expect(await reader.locator(`tr[data-call-id="${other}"]`).count()).toBe(0);
    await reader.goto(`${inject('callbridge').url}/dashboard/calls/${other}`);
    // Another source's call answers this key exactly as a call that does not exist.
    await reader.getByText('No delivery has been received for this call.').waitFor();
    expect(await reader.getByText('Provider confirmed availability').count()).toBe(0);
    await reader.context().close();

    await keyRow.getByRole('button', { name: 'Revoke…' }).click();
    await keyRow.getByRole('button', { name: `Revoke ${keyName} for good` }).click();
    await keyRow.getByText(/revoked/).waitFor();
    await page.context().close();
  });

  it('deletes a source only once its name is typed, warning that its calls go with it', async () => {
    const page = await openDashboard(browser, { key: adminKey() });
    const name = uniqueName('delete');
    const { row } = await createSource(page, name);
    await hideOneTime(page);

    await row.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain('every delivery logged for them');
    const confirm = dialog.getByRole('button', { name: 'Delete source for good' });
    await dialog.getByLabel(/Type the source’s name or id/).fill('not the name');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type the source’s name or id/).fill(name);
    await confirm.click();
    await row.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('is usable at phone width without scrolling the page sideways', async () => {
    const page = await openDashboard(browser, { key: adminKey(), viewport: { width: 390, height: 844 } });
    await createSource(page, uniqueName('phone'));
    await oneTimePanel(page).locator('.vapi-steps').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
