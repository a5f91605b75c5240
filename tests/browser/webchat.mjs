// webchat.mjs - the web chat in a real browser: Debian's headless Chromium, driven by
// playwright-core, against a `leanon run` this test starts on loopback (community region US).
// At phone size (390x844, then 390x480 for the open keyboard) and at desktop size it asserts:
// the bot notice and crisis link; replies with clickable tel:, sms: and https: links; a crisis
// reply announced (assertive live region and a heading); the "Not helpful" button counted in
// /metrics; the counter near the limit; a 3,900-character French message (more than 4,000
// bytes) sent whole; an over-long message kept in the box with the notice in view, refused by
// the page and (with the page not told the limit) by the server; markup in a reply shown as
// text; the conversation area's height (at least 55% of the visible height, header folded into
// one line while typing); the region selector (filled from the hello, kept across a reload, its
// region's lines in the crisis reply). Screenshots go to SCREENSHOT_DIR (the build folder).
// Usage: node webchat.mjs LEANON_BINARY RESPONSES_DIR SCREENSHOT_DIR
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

const [binary, responses, shots] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'leanon-browser-'));
const config = join(dir, 'leanon.json');
writeFileSync(config, JSON.stringify({
  responses, optout_db: join(dir, 'optout.sqlite'),
  communities: { webchat: { region: 'US' } },
}));
const MIN_SHARE = 0.55;  // the conversation area's floor, as a share of the visible height
const LIMIT = 4000;      // max_message_chars by default

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

// A French text of exactly n characters, with accents (two bytes each in UTF-8).
function frenchText(n) {
  const phrase = 'Je me sens épuisée, déçue et très angoissée depuis des années, à côté de tout. ';
  return phrase.repeat(Math.ceil(n / phrase.length)).slice(0, n).trimEnd().padEnd(n, 'é');
}

async function metrics(port) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  return response.text();
}

// Heights of the page's three parts and the visible height, in CSS pixels.
async function layout(page) {
  return page.evaluate(() => {
    const h = (id) => document.getElementById(id).getBoundingClientRect().height;
    return {
      visible: window.visualViewport ? window.visualViewport.height : window.innerHeight,
      header: h('banner'), conversation: h('conversation'), footer: h('composer'),
      compact: document.body.classList.contains('compact'),
    };
  });
}

function assertConversationShare(size, measured) {
  const share = measured.conversation / measured.visible;
  console.log(`${size}: conversation ${measured.conversation.toFixed(0)} px of ` +
    `${measured.visible.toFixed(0)} (${(share * 100).toFixed(0)}%), header ` +
    `${measured.header.toFixed(0)}, footer ${measured.footer.toFixed(0)}` +
    (measured.compact ? ', header folded' : ''));
  assert.ok(share >= MIN_SHARE, `${size}: conversation area ${measured.conversation} px is ` +
    `under ${MIN_SHARE * 100}% of ${measured.visible}`);
}

// Whether the crisis link is shown whole: in the viewport and not cut by its line.
async function crisisLinkWhole(page) {
  const link = page.locator('#crisis-link');
  const [box, line] = [await link.boundingBox(), await page.locator('#crisis-line').boundingBox()];
  return await inView(page, link) && box.x + box.width <= line.x + line.width + 0.5 &&
    await link.evaluate((a) => a.getClientRects().length === 1);
}

// Whether a locator's box lies inside the viewport.
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  return box !== null && box.y >= 0 && box.y + box.height <= size.height + 0.5 &&
    box.x >= 0 && box.x + box.width <= size.width + 0.5;
}

async function open(browser, port, viewport) {
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 600 });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Script errors, console errors (a CSP refusal, ...) and failed loads, except the favicon the
  // page does not have (its 404 is reported by the console as a "Failed to load resource").
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, problems };
}

async function connected(page, port) {
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByText('Connected.').waitFor({ timeout: 15000 });
}

async function say(page, text, replyIndex) {
  const input = page.getByLabel('Your message');
  await input.fill(text);
  await input.press('Enter');
  const reply = page.locator('#log li.bot').nth(replyIndex);
  await reply.waitFor({ timeout: 15000 });
  return reply;
}

async function phone(browser, port) {
  const { context, page, problems } = await open(browser, port, { width: 390, height: 844 });
  await connected(page, port);
  assert.match(await page.locator('#bot-notice').innerText(), /bot.*not a therapist/);
  assert.ok(await crisisLinkWhole(page));
  assert.equal(await page.locator('#log').getAttribute('aria-live'), 'polite');
  assertConversationShare('390x844', await layout(page));

  // A reply takes a "Not helpful", counted for its rule; the thanks replaces the button.
  const greeting = await say(page, 'hello', 0);
  assert.equal(await greeting.getAttribute('data-category'), 'greeting');
  await greeting.getByRole('button', { name: 'Not helpful' }).click();
  await greeting.getByText('Thank you. The people who look after me').waitFor();
  assert.match(await metrics(port), /^leanon_feedback_unhelpful_total\{rule="greeting"\} 1$/m);

  // A crisis reply: announced at once, with a heading, and its lines clickable.
  const crisis = await say(page, 'I want to die', 1);
  assert.match(await crisis.getAttribute('data-category'), /^crisis-/);
  const announcer = page.locator('#crisis-announcer');
  assert.equal(await announcer.getAttribute('aria-live'), 'assertive');
  assert.equal(await announcer.getAttribute('role'), 'alert');
  await page.waitForFunction(() =>
    /^Crisis support/.test(document.getElementById('crisis-announcer').textContent));
  assert.ok(await crisis.getByRole('heading', { name: 'Crisis support' }).isVisible());
  const hrefs = await crisis.locator('a').evaluateAll((links) => links.map((a) => a.href));
  for (const want of ['tel:988', 'sms:988', 'sms:741741?body=HOME', 'tel:911']) {
    assert.ok(hrefs.includes(want), `crisis reply links ${hrefs.join(' ')} lack ${want}`);
  }
  // the region's web addresses (from helplines.json) are links too, each written in the reply
  const web = await crisis.locator('a[href^="https:"]').evaluateAll((links) =>
    links.map((a) => [a.href, a.textContent]));
  assert.ok(web.length >= 2, `crisis reply has ${web.length} web links`);
  for (const [href, text] of web)
    assert.ok(href.startsWith(text.replace(/\/$/, '')), `link ${text} points to ${href}`);
  assert.ok(hrefs.every((h) => /^(https?|tel|sms):/.test(h)), hrefs.join(' '));
  const call = crisis.locator('a[href="tel:988"]');
  assert.equal(await call.innerText(), '988');
  assert.ok(await call.isVisible());
  assert.equal(await crisis.getByRole('link', { name: 'text HOME to 741741' }).count(), 1);
  assert.equal(await crisis.getByRole('button', { name: 'Not helpful' }).count(), 0);

  // 3,900 French characters, more than 4,000 bytes: the counter shows, and it is sent whole.
  const input = page.getByLabel('Your message');
  const french = frenchText(3900);
  assert.equal([...french].length, 3900);
  assert.ok(Buffer.byteLength(french) > LIMIT, `only ${Buffer.byteLength(french)} bytes`);
  await input.fill(french);
  const counter = page.locator('#counter');
  assert.equal(await counter.innerText(), '3,900 / 4,000 characters');
  assert.ok(await counter.isVisible());
  await input.press('Enter');
  await page.locator('#log li.bot').nth(2).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#log li.me .text').last().innerText(), french);
  assert.equal(await input.inputValue(), '');
  assert.ok(await page.locator('#send-notice').isHidden());
  assert.ok(await counter.isHidden());

  // Over the limit: kept in the box, the notice beside it and in view, nothing sent.
  const sentBefore = await page.locator('#log li.me').count();
  const tooLong = frenchText(LIMIT + 100);
  await input.fill(tooLong);
  assert.equal(await counter.innerText(), '4,100 / 4,000 characters');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.press('Enter');
  const notice = page.locator('#send-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.innerText(), /4,100 characters; the limit is 4,000\. Your text is still in the box/);
  assert.ok(await inView(page, notice), 'the notice is out of view');
  assert.equal(await input.inputValue(), tooLong);
  assert.equal(await page.locator('#log li.me').count(), sentBefore);
  await page.screenshot({ path: join(shots, 'webchat-phone.png') });

  // The keyboard open (390x480 left visible): the header folds while typing, the crisis link
  // stays in view on one line, the conversation keeps most of the height.
  await input.fill('');
  await page.setViewportSize({ width: 390, height: 480 });
  await input.focus();
  await page.waitForFunction(() => document.body.classList.contains('compact'));
  const typing = await layout(page);
  assertConversationShare('390x480 (keyboard open)', typing);
  const line = page.locator('#crisis-line');
  assert.ok(await crisisLinkWhole(page), 'crisis link cut or out of view');
  const lineBox = await line.boundingBox();
  const lineHeight = await line.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  assert.ok(lineBox.height < 2 * lineHeight, `crisis line ${lineBox.height} px is not one line`);
  assert.ok(await page.locator('#log li').last().isVisible());
  await page.screenshot({ path: join(shots, 'webchat-phone-keyboard.png') });

  // At 200% zoom the same phone shows 195x422 CSS pixels, 195x240 with the keyboard.
  await page.setViewportSize({ width: 195, height: 240 });
  await input.focus();
  const zoomed = await layout(page);
  console.log(`195x240 (200% zoom, keyboard open): conversation ${zoomed.conversation.toFixed(0)} px ` +
    `of ${zoomed.visible.toFixed(0)}, header ${zoomed.header.toFixed(0)}, footer ${zoomed.footer.toFixed(0)}`);
  assert.ok(zoomed.compact && zoomed.conversation >= MIN_SHARE * zoomed.visible,
    `at 200% zoom the conversation has ${zoomed.conversation} px`);
  assert.ok(await inView(page, page.locator('#crisis-link')), 'crisis link out of view at 200%');

  // The keyboard closed: the header is whole again.
  await page.setViewportSize({ width: 390, height: 844 });
  await input.blur();
  await page.waitForFunction(() => !document.body.classList.contains('compact'));
  assert.ok(await page.locator('#bot-notice').isVisible());
  assert.deepEqual(problems, []);
  await context.close();
}

// The desktop page, with the websocket routed through the test: the server's hello is held
// back (so the page does not know the limit) and a reply with markup is injected.
async function desktop(browser, port) {
  const { context, page, problems } = await open(browser, port, { width: 1280, height: 800 });
  let toPage = null;
  await page.routeWebSocket(/\/chat$/, (ws) => {
    const server = ws.connectToServer();
    toPage = ws;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => { if (!/"type":"hello"/.test(String(m))) ws.send(m); });
  });
  await connected(page, port);
  const measured = await layout(page);
  assertConversationShare('1280x800', measured);
  assert.ok(!measured.compact);

  // Markup in a reply is text, and only http(s), tel and sms become links.
  toPage.send(JSON.stringify({
    type: 'reply', id: 99, category: 'other', crisis: false, risk: 'none', feedback: false,
    text: '<img src=x onerror="window.injected=1"><b>bold</b> javascript:alert(1) ' +
      '[x](javascript:alert(2)) data:text/html,hi https://127.0.0.1/a?b=<i>c</i>. call 988, ' +
      'call 2 friends, Text START to 88788',
  }));
  const injected = page.locator('#log li.bot').first();
  await injected.waitFor();
  assert.equal(await injected.locator('img, b, i, script').count(), 0);
  assert.match(await injected.locator('.text').innerText(), /^<img src=x onerror="window\.injected=1"><b>bold<\/b>/);
  const hrefs = await injected.locator('a').evaluateAll((links) => links.map((a) => a.href));
  assert.deepEqual(hrefs, ['https://127.0.0.1/a?b=', 'tel:988', 'sms:88788?body=START']);
  assert.equal(await page.evaluate(() => window.injected), undefined);

  // The server refuses an over-long message the page could not check: it comes back to the box.
  const input = page.getByLabel('Your message');
  const tooLong = frenchText(LIMIT + 1);
  await input.fill(tooLong);
  assert.ok(await page.locator('#counter').isHidden());  // no limit known, no counter
  await input.press('Enter');
  const notice = page.locator('#send-notice');
  await notice.waitFor({ state: 'visible', timeout: 15000 });
  assert.match(await notice.innerText(), /4,001 characters; the limit is 4,000\./);
  assert.ok(await inView(page, notice));
  assert.equal(await input.inputValue(), tooLong);
  assert.equal(await page.locator('#log li.me').count(), 0);
  assert.equal(await page.locator('#counter').innerText(), '4,001 / 4,000 characters');

  await input.fill('hello');
  await input.focus();
  assert.ok(!(await layout(page)).compact, 'the header folds on a tall screen');
  await page.screenshot({ path: join(shots, 'webchat-desktop.png') });
  assert.deepEqual(problems, []);
  await context.close();
}

// The region selector: filled from the server's hello, kept in this browser across a reload,
// and the crisis lines of a chosen region come in the crisis reply (New Zealand's are not
// among the lines everybody gets without a region).
async function regions(browser, port) {
  const { context, page, problems } = await open(browser, port, { width: 1280, height: 800 });
  await connected(page, port);
  const select = page.getByLabel('Crisis lines for');
  await page.locator('#region-row').waitFor({ state: 'visible', timeout: 15000 });
  const codes = await select.locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.equal(codes[0], '');
  assert.ok(codes.includes('NZ') && codes.includes('DE') && !codes.includes('international'));
  let reply = await say(page, 'I want to kill myself', 0);
  assert.doesNotMatch(await reply.innerText(), /1737/);
  await select.selectOption('NZ');
  reply = await say(page, 'I want to kill myself', 1);
  assert.match(await reply.innerText(), /Need to talk\? 1737/);
  await page.reload();
  await page.getByText('Connected.').waitFor({ timeout: 15000 });
  await page.locator('#region-row').waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await select.inputValue(), 'NZ');
  await select.selectOption('');
  reply = await say(page, 'I want to kill myself', 0);
  assert.doesNotMatch(await reply.innerText(), /1737/);
  await page.reload();
  await page.getByText('Connected.').waitFor({ timeout: 15000 });
  assert.equal(await select.inputValue(), '');
  assert.deepEqual(problems, []);
  await context.close();
}

// Opting out: the page says the bot is not answering this browser and how to undo it, in
// this tab and in a new one, until start.
async function optedOut(browser, port) {
  const { context, page, problems } = await open(browser, port, { width: 390, height: 844 });
  await connected(page, port);
  const notice = page.locator('#opted-out');
  assert.ok(await notice.isHidden());
  const confirmation = await say(page, 'stop', 0);
  assert.equal(await confirmation.getAttribute('data-category'), 'command-stop');
  await notice.waitFor({ state: 'visible', timeout: 15000 });
  assert.match(await notice.innerText(), /not answering this browser.*write: start\./);
  assert.ok(await inView(page, notice));

  const again = await context.newPage();  // the same browser: local storage is shared
  await connected(again, port);
  assert.ok(await again.locator('#opted-out').isVisible(), 'a new tab shows the opt-out');
  await again.getByLabel('Your message').fill('hello');
  await again.getByLabel('Your message').press('Enter');
  await again.locator('#log li.me').first().waitFor();
  assert.ok(await again.locator('#opted-out').isVisible());
  const back = await say(again, 'start', 0);
  assert.equal(await back.getAttribute('data-category'), 'command-start');
  await again.locator('#opted-out').waitFor({ state: 'hidden' });
  assert.equal(await again.evaluate(() => localStorage.getItem('leanon-opted-out')), null);
  assert.deepEqual(problems, []);
  await context.close();
}

const server = startServer();
let browser;
try {
  const port = await server.port;
  // Before any message, the labelled series are there with 0.
  const fresh = await metrics(port);
  for (const line of ['leanon_crisis_replies_total{platform="webchat"} 0',
    'leanon_messages_in_total{platform="webchat"} 0', 'leanon_reloads_total{result="ok"} 0',
    'leanon_feedback_on_fallback_total{said="unhelpful"} 0']) {
    assert.ok(fresh.includes(line + '\n'), `fresh /metrics lacks ${line}`);
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  await phone(browser, port);
  await desktop(browser, port);
  await optedOut(browser, port);
  await regions(browser, port);
  console.log(`ok: phone, desktop and opting out; screenshots in ${shots}`);
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
  assert.ok(!server.log().includes('épuisée'), 'message text reached the log');
}
