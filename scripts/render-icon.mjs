#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (256×256), the marketplace icon: the gallery and
// vsce take PNG only. Uses the headless chromium the browser tests use, so no image tool is needed.
//   node scripts/render-icon.mjs
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const size = 256;
const svg = await readFile(join(root, 'media/icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(root, 'media/icon.png'), omitBackground: true });
  console.log(`media/icon.png: ${size}×${size} from media/icon.svg`);
} finally {
  await browser.close();
}
