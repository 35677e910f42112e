// `make bench viewer`: times the OHIF viewer's first image in headless Debian Chromium
// (playwright-core) and writes every run as JSON (ViewerBenchmark computes and prints the figures).
//
// Environment: CHROMIUM (/usr/bin/chromium), OUT (the JSON file), SHOTS (screenshots), REPETITIONS,
// SERVERS (JSON: [{name, url, user?}] - the same OHIF build served by nginx in front of each
// server; with a user, the viewer signs in on Keycloak's login page, password = user name),
// STUDIES (JSON: [{name, marker}] - the marker is text only that study's row in the list shows).
//
// One browser context per server, the HTTP cache off (every run fetches from the server). A run:
// reload the study list (which empties the viewer's in-memory image cache), select the study's
// row, click "Basic Viewer" and poll the viewport's canvas every 10 ms until it holds an image
// (more than 16 distinct non-black colours). The figure is the time from that click to the poll
// that saw the image, both on the page's clock. Then the page goes to about:blank, so that it stops
// fetching and decoding the rest of the stack, and the next run waits SETTLE_MS (3000) for the
// servers' background work to end: each open is measured on its own, not beside the previous
// one's prefetch. One round (repetition 0) comes first: each server's one-slice study (the
// viewer's own start-up lands there), then the big study's first open, cold on the server; the
// order of servers and studies alternates between the repetitions after it.
import { launchHeadlessChromium } from './headless-chromium.mjs';
import { writeFileSync } from 'node:fs';

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const out = env('OUT');
const shots = env('SHOTS');
const repetitions = Number(env('REPETITIONS'));
const servers = JSON.parse(env('SERVERS'));
const studies = JSON.parse(env('STUDIES'));
const settleMs = Number(process.env.SETTLE_MS ?? 3000);
// Optional ({name, marker}): a study of the same kind as the big one, opened once in each context
// before anything is timed, so the browser's own first-time work for such images (SwiftShader
// compiling its shaders, the codecs' workers) is not charged to whichever server opens first.
const warmupStudy = process.env.WARMUP_STUDY ? JSON.parse(process.env.WARMUP_STUDY) : null;
// FLIP=1 swaps which server goes first in every round (the first open of each study included).
const flip = process.env.FLIP === '1' ? 1 : 0;
// Ceilings for conditions, not speed assertions: the machine may be loaded.
const CEILING_MS = 180_000;

const result = { runs: [] };
const save = () => writeFileSync(out, JSON.stringify(result, null, 2));

/** In the page: waits until a viewport canvas holds an image; returns when, on the page's clock. */
async function firstImageProbe(ceiling) {
  const deadline = Date.now() + ceiling;
  const small = document.createElement('canvas');
  small.width = 96;
  small.height = 96;
  const context = small.getContext('2d', { willReadFrequently: true });
  while (Date.now() < deadline) {
    for (const canvas of document.querySelectorAll('canvas.cornerstone-canvas')) {
      if (canvas.width < 16 || canvas.height < 16) continue;
      context.clearRect(0, 0, 96, 96);
      context.drawImage(canvas, 0, 0, 96, 96);
      const { data } = context.getImageData(0, 0, 96, 96);
      const values = new Set();
      for (let i = 0; i < data.length; i += 4) {
        const value = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        if (value !== 0) values.add(value);
      }
      if (values.size > 16) {
        return { drawnAt: Date.now(), clickAt: window.__strataClickAt ?? null, colours: values.size };
      }
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  return null;
}

async function open(browser, server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const session = { server, context, page, calls: null };
  // Each DICOMweb call before the first image, with its time from request to the response's
  // last byte (Chromium's resource timing).
  const record = async (request, failed) => {
    const calls = session.calls;
    const url = new URL(request.url());
    if (!calls || !url.pathname.startsWith('/dicomweb')) return;
    const response = failed ? null : await request.response();
    calls.push({
      path: url.pathname + url.search,
      status: response ? response.status() : 0,
      ms: Math.round(request.timing().responseEnd),
    });
  };
  page.on('requestfinished', request => record(request, false).catch(() => {}));
  page.on('requestfailed', request => record(request, true).catch(() => {}));
  return session;
}

/** The study list with the study's row, signing in on Keycloak's page when the viewer asks. */
async function studyRow(session, study) {
  const { page, server } = session;
  await page.goto(server.url, { timeout: CEILING_MS });
  const row = page.getByRole('row').filter({ hasText: study.marker }).first();
  const login = page.locator('#kc-login');
  await row.or(login).first().waitFor({ timeout: CEILING_MS });
  if (server.user && (await login.isVisible())) {
    await page.fill('#username', server.user);
    await page.fill('#password', server.user);
    await login.click();
  }
  await row.waitFor({ timeout: CEILING_MS });
  return row;
}

async function run(session, study, repetition) {
  const { page, server } = session;
  const record = { server: server.name, study: study.name, repetition };
  result.runs.push(record);
  try {
    await (await studyRow(session, study)).click();
    const button = page.locator('button[title="Basic Viewer"]').first();
    await button.waitFor({ timeout: CEILING_MS });
    await page.evaluate(() => {
      window.__strataClickAt = null;
      document.addEventListener('click', () => (window.__strataClickAt ??= Date.now()), {
        capture: true,
        once: true,
      });
    });
    session.calls = [];
    const clickedFromHere = Date.now();
    await button.click();
    let seen = null;
    for (let attempt = 0; attempt < 5 && seen === null; attempt++) {
      try {
        seen = await page.evaluate(firstImageProbe, CEILING_MS);
        if (seen === null) break;
      } catch (e) {
        // The click may reload the document; probe the new one.
        if (!String(e).includes('context was destroyed')) throw e;
      }
    }
    if (seen === null) throw new Error('no image within the ceiling');
    record.ms = seen.drawnAt - (seen.clickAt ?? clickedFromHere);
    record.clockFromPage = seen.clickAt !== null;
    record.colours = seen.colours;
    record.dicomwebCalls = session.calls.length;
    record.failedCalls = session.calls.filter(c => c.status === 0 || c.status >= 400).length;
    record.calls = session.calls;
    if (repetition === 1) {
      await page.screenshot({ path: `${shots}/${server.name}-${study.name}.png` });
    }
  } catch (e) {
    record.error = String(e && e.stack ? e.stack : e).slice(0, 2000);
    await page.screenshot({ path: `${shots}/failure-${server.name}-${study.name}-${repetition}.png` }).catch(() => {});
  } finally {
    session.calls = null;
    save();
    // Stop this page's prefetch of the rest of the stack before any other run starts.
    await page.goto('about:blank').catch(() => {});
    await new Promise(resolve => setTimeout(resolve, settleMs));
  }
}

const browser = await launchHeadlessChromium(env('CHROMIUM'));
try {
  const sessions = [];
  for (const server of servers) sessions.push(await open(browser, server));
  if (warmupStudy) for (const session of sessions) await run(session, warmupStudy, -1);
  for (let repetition = 0; repetition <= repetitions; repetition++) {
    // Repetition 0: the one-slice study first (studies lists the big one first).
    const studyOrder = repetition % 2 === 1 ? studies : [...studies].reverse();
    for (const study of studyOrder) {
      const serverOrder = (repetition + studies.indexOf(study) + flip) % 2 === 0 ? sessions : [...sessions].reverse();
      for (const session of serverOrder) await run(session, study, repetition);
    }
  }
} finally {
  save();
  await browser.close();
}
