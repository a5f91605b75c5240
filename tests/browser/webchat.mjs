// webchat.mjs - the web chat in a real browser: Debian's headless Chromium,
// driven by playwright-core, against a `leanon run` this test starts on loopback.
// Sends a greeting and a crisis message and asserts both replies appear (the
// second with a crisis-* category), that the page keeps saying it is a bot and
// shows the crisis link, and saves a screenshot.
// Usage: node webchat.mjs LEANON_BINARY RESPONSES_DIR SCREENSHOT_PNG
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  // Missing tooling: a failure in CI, a skip (77) for a developer who has not run .ci/setup.
  console.error('playwright-core is not installed: run .ci/setup (or .ci/npm-pinned tests/browser playwright-core)');
  process.exit(process.env.CI ? 1 : 77);
}

const [binary, responses, screenshot] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'leanon-browser-'));
const config = join(dir, 'leanon.json');
writeFileSync(config, JSON.stringify({ responses, optout_db: join(dir, 'optout.sqlite') }));

function startServer() {
  const child = spawn(binary, ['run', '--config', config, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /event=listening .*port=(\d+)/.exec(log);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`leanon run exited (${code}):\n${log}`)));
  });
  return { child, port, log: () => log };
}

const server = startServer();
let browser;
try {
  const port = await server.port;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 390, height: 760 } });  // phone width
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByText('Connected.').waitFor({ timeout: 15000 });

  // Always says it is a bot; the crisis link is in view.
  assert.match(await page.locator('#bot-notice').innerText(), /bot.*not a therapist/);
  assert.ok(await page.locator('#crisis-link').isVisible());
  assert.equal(await page.locator('#log').getAttribute('aria-live'), 'polite');

  const input = page.getByLabel('Your message');
  await input.fill('hello');
  await input.press('Enter');
  const replies = page.locator('#log li.bot');
  await replies.nth(0).waitFor({ timeout: 15000 });
  assert.ok((await replies.nth(0).locator('.text').innerText()).length > 0);

  await input.fill('I want to die');
  await page.getByRole('button', { name: 'Send' }).click();
  await replies.nth(1).waitFor({ timeout: 15000 });
  const category = await replies.nth(1).getAttribute('data-category');
  assert.match(category, /^crisis-/, `crisis reply category was ${category}`);
  assert.ok(await page.locator('#crisis-link').isVisible());
  assert.equal(await page.locator('#log li.me').count(), 2);

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`ok: greeting and crisis replies shown; screenshot ${screenshot}`);
} finally {
  if (browser) await browser.close();
  server.child.kill('SIGTERM');
  const code = await new Promise((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.on('exit', (c) => resolve(c));
  });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0, `leanon run exited with ${code}:\n${server.log()}`);
  assert.ok(!server.log().includes('want to die'), 'message text reached the log');
}
