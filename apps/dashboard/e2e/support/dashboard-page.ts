import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';

/** A fresh tab (its own sessionStorage) on the dashboard, signed in (with the read key unless told) or not. */
export async function openDashboard(
  browser: Browser,
  options: { signIn?: boolean; key?: string; viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${inject('callbridge').url}/dashboard/`);
  if (options.signIn !== false) await signIn(page, options.key ?? inject('callbridge').apiKey);
  return page;
}

export async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Resolves once the live stream is connected, so what is posted next is streamed, not listed. */
export async function waitUntilLive(page: Page): Promise<void> {
  await page.locator('.stream-state.live').waitFor();
}
