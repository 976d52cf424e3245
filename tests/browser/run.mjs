// Browser tests: Debian's Chromium driven by playwright-core, with
// axe-core checking every page visited.  Usage: node run.mjs path/to/cairn
// Prints "browser: N passed, N failed" last; exit 1 when any failed.
// Screenshots go to tests/browser/artifacts/ (kept by CI as artefacts).
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cairn = resolve(process.argv[2] || 'build/cairn');
const artifacts = join(here, 'artifacts');
const PASSWORD = 'cairn-demo-password';
mkdirSync(artifacts, { recursive: true });

let passed = 0, failed = 0;
const axeSeen = new Set();

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-browser-'));
  const db = join(dir, 'b.db');
  execFileSync(cairn, ['demo', '--db', db, '--children', '300', '--seed', '11'], { stdio: 'inherit' });
  const conf = join(dir, 'serve.conf');
  writeFileSync(conf, 'synchronous = normal\n');
  const port = await freePort();
  const proc = spawn(cairn, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--config', conf],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', () => {});
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { const r = await fetch(`${base}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  return { dir, db, proc, base };
}

async function axe(page, name) {
  const results = await new AxeBuilder({ page }).analyze();
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  axeSeen.add(name);
  if (results.violations.length) {
    const lines = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.length} nodes) e.g. ${v.nodes[0].html.slice(0, 160)}`);
    throw new Error(`axe violations on ${name}:\n  ${lines.join('\n  ')}`);
  }
}

async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

function expect(cond, msg) { if (!cond) throw new Error(msg); }

async function signIn(page, base, user) {
  await page.goto(`${base}/sign-in`);
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  await page.waitForLoadState('load');
  expect(await page.isVisible('text=Sign out'), `${user} is not signed in`);
}

const srv = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const { base } = srv;
  // a child with a name to misspell later: the newest child in the demo
  const child = JSON.parse(execFileSync('sqlite3', ['-json', srv.db,
    "SELECT child_id, given_name, family_name FROM child WHERE length(family_name) >= 5 ORDER BY child_id LIMIT 1"]).toString())[0];

  await test('sign-in page has no accessibility violations', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/sign-in`);
    await axe(page, 'sign-in');
    // the error summary too
    await page.click('button:has-text("Sign in")');
    expect(await page.isVisible('.govuk-error-summary'), 'no error summary for an empty form');
    await axe(page, 'sign-in-errors');
    await ctx.close();
  });

  await test('front-door officer records a contact, refers and allocates', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, base, 'fd.demo');
    await axe(page, 'my-work-front-door');
    await page.goto(`${base}/front-door`);
    await axe(page, 'front-door-queue');
    await page.goto(`${base}/children/${child.child_id}`);
    await axe(page, 'child-record');
    await page.click('a:has-text("Record a contact")');
    await page.waitForLoadState('load');
    await axe(page, 'contact-form');
    // submit empty first: the error summary must appear and the page pass axe
    await page.click('button[type=submit]:not(.cairn-signout)');
    await page.waitForLoadState('load');
    expect(await page.isVisible('.govuk-error-summary'), 'no error summary on an empty contact');
    await axe(page, 'contact-form-errors');
    const now = new Date();
    await page.selectOption('#source', { index: 1 });
    await page.fill('#referrer_name', 'A. Teacher');
    await page.fill('#referrer_org', 'Northwold Primary School');
    await page.fill('#received-day', String(now.getDate()));
    await page.fill('#received-month', String(now.getMonth() + 1));
    await page.fill('#received-year', String(now.getFullYear()));
    await page.fill('#received-time', '00:05');
    await page.fill('#worry', 'Synthetic test: the child said they were left alone overnight.');
    await page.click('button[type=submit]:not(.cairn-signout)');
    await page.waitForLoadState('load');
    expect(/\/contacts\/\d+/.test(page.url()), `not on the contact page: ${page.url()}`);
    await axe(page, 'contact');
    await page.check('input[name=decision][value=referral]');
    await page.fill('#reason', 'Synthetic test: threshold for a social care assessment is met.');
    await page.click('button[type=submit]:not(.cairn-signout)');
    await page.waitForLoadState('load');
    expect(/\/referrals\/\d+/.test(page.url()), `not on the referral page: ${page.url()}`);
    await axe(page, 'referral');
    await page.selectOption('#team_id', { index: 1 });
    await page.selectOption('#worker_id', { index: 1 });
    await page.click('button[type=submit]:not(.cairn-signout)');
    await page.waitForLoadState('load');
    expect(await page.isVisible('.govuk-notification-banner'), 'no confirmation after allocating');
    await axe(page, 'referral-allocated');
    await ctx.close();
  });

  await test('social worker finds the child by a misspelt name', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, base, 'sw.demo');
    await axe(page, 'my-work-social-worker');
    // swap two letters in the middle of the family name
    const f = child.family_name;
    const i = Math.floor(f.length / 2);
    const typo = f.slice(0, i - 1) + f[i] + f[i - 1] + f.slice(i + 1);
    await page.goto(`${base}/children`);
    await axe(page, 'child-search');
    await page.fill('#name', `${child.given_name} ${typo}`);
    await page.click('button[type=submit]:not(.cairn-signout)');
    await page.waitForLoadState('load');
    const link = page.locator(`a[href="/children/${child.child_id}"]`);
    expect(await link.count() > 0, `search for "${typo}" did not find child ${child.child_id}`);
    await axe(page, 'child-search-results');
    await link.first().click();
    await page.waitForLoadState('load');
    await axe(page, 'child-record-social-worker');
    await ctx.close();
  });
} finally {
  await browser.close();
  srv.proc.kill('SIGTERM');
  if (!process.env.BROWSER_KEEP) rmSync(srv.dir, { recursive: true, force: true });
}

console.log(`pages checked with axe-core: ${[...axeSeen].join(', ')}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
