// Drives the OHIF viewer that Strata's nginx serves in headless Debian Chromium (playwright-core)
// and writes what it saw as JSON (ViewerSignInIT asserts on it; this script decides nothing).
//
// Environment: VIEWER_URL (e.g. http://127.0.0.1:41234/), CHROMIUM (/usr/bin/chromium),
// OUT (the JSON file), SHOTS (a directory for screenshots), and for each of the two sessions
// USER_1/USER_2 (a realm user, password = user name) and MARKER_1/MARKER_2 (text that only the row
// of the study this user must see holds, e.g. part of its Patient's Name).
//
// Session 1 signs in on Keycloak's login page, waits for its study in the study list, opens it,
// waits for the first image to be drawn (pixels read back from the canvas), then waits until the
// access token it signed in with has expired and goes back to the study list within the page: the
// study-list query then has to carry a renewed token. Session 2 signs in as the other user in a
// fresh browser context and reads its study list.
import { launchHeadlessChromium } from './headless-chromium.mjs';
import { writeFileSync } from 'node:fs';

const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const viewerUrl = env('VIEWER_URL');
const out = env('OUT');
const shots = env('SHOTS');
// Ceilings for conditions, not speed assertions: the machine may be loaded.
const CEILING_MS = 180_000;

const result = { sessions: [] };
const save = () => writeFileSync(out, JSON.stringify(result, null, 2));

/** The JWT's exp claim (seconds), or null. */
function tokenExpiry(authorization) {
  if (!authorization || !authorization.startsWith('Bearer ')) return null;
  const payload = authorization.slice(7).split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).exp;
}

/** Counts canvas pixels that are not black, read back through an image of each canvas. */
async function canvasPixels(page) {
  return page.evaluate(async () => {
    const found = [];
    for (const canvas of document.querySelectorAll('canvas')) {
      if (canvas.width < 16 || canvas.height < 16) continue;
      const image = new Image();
      image.src = canvas.toDataURL('image/png');
      await image.decode();
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      let lit = 0;
      const values = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] + data[i + 1] + data[i + 2] > 0) lit++;
        if (values.size < 1000) values.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      found.push({
        className: String(canvas.className),
        width: canvas.width,
        height: canvas.height,
        litPixels: lit,
        distinctColours: values.size,
      });
    }
    return found;
  });
}

async function signIn(page, user, seen) {
  await page.goto(viewerUrl);
  // No session: the viewer sends the browser to Keycloak's own login page.
  await page.waitForSelector('#kc-login', { timeout: CEILING_MS });
  seen.loginPage = new URL(page.url()).origin + new URL(page.url()).pathname;
  seen.loginQuery = Object.fromEntries(new URL(page.url()).searchParams);
  await page.fill('#username', user);
  await page.fill('#password', user);
  await page.click('#kc-login');
}

/** The study list's rows, once the expected study's row shows. */
async function studyListText(page, marker) {
  // The whole list comes from one QIDO-RS response: once the expected study shows, so would any
  // other study the query returned.
  await studyRow(page, marker).waitFor({ timeout: CEILING_MS });
  return (await page.getByRole('row').allInnerTexts()).join('\n');
}

const studyRow = (page, marker) => page.getByRole('row').filter({ hasText: marker }).first();

async function session(index, browser) {
  const user = env(`USER_${index}`);
  const marker = env(`MARKER_${index}`);
  const seen = { user, dicomweb: [] };
  result.sessions.push(seen);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', m => {
    if (m.type() === 'error') (seen.consoleErrors ??= []).push(m.text().slice(0, 300));
  });
  page.on('response', response => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/dicomweb')) return;
    const authorization = response.request().headers()['authorization'];
    seen.dicomweb.push({
      path: url.pathname,
      status: response.status(),
      at: Date.now(),
      bearer: Boolean(authorization && authorization.startsWith('Bearer ')),
      tokenExpiry: tokenExpiry(authorization),
    });
  });
  try {
    await signIn(page, user, seen);
    seen.studyList = await studyListText(page, marker);
    seen.step = 'signed in';
    save();
    if (index !== 1) return;

    // Open the study in the basic viewer: select its row, then the workflow in the preview panel.
    await studyRow(page, marker).click();
    await page.click('button[title="Basic Viewer"]', { timeout: CEILING_MS });
    seen.viewerUrl = page.url();
    const deadline = Date.now() + CEILING_MS;
    let canvases = [];
    while (Date.now() < deadline) {
      canvases = await canvasPixels(page);
      if (canvases.some(c => c.litPixels > 0 && c.distinctColours > 16)) break;
      await page.waitForTimeout(500);
    }
    seen.canvases = canvases;
    seen.step = 'image drawn';
    await page.screenshot({ path: `${shots}/viewer-${user}.png` });
    save();

    // Outlive the access token the viewer signed in with, then query again within the page.
    const firstExpiry = Math.min(
      ...seen.dicomweb.filter(c => c.tokenExpiry !== null).map(c => c.tokenExpiry),
    );
    seen.firstTokenExpiry = firstExpiry;
    while (Date.now() < firstExpiry * 1000 + 2000) {
      await page.waitForTimeout(1000);
    }
    seen.backAt = Date.now();
    await page.goBack();
    seen.studyListAfterExpiry = await studyListText(page, marker);
    seen.step = 'past expiry';
  } catch (e) {
    seen.error = String(e && e.stack ? e.stack : e).slice(0, 2000);
    await page.screenshot({ path: `${shots}/failure-${user}.png` }).catch(() => {});
  } finally {
    save();
    await context.close();
  }
}

const browser = await launchHeadlessChromium(env('CHROMIUM'));
try {
  await session(1, browser);
  await session(2, browser);
} finally {
  save();
  await browser.close();
}
