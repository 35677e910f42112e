// Debian's Chromium, headless, as ViewerSignInIT (viewer-session.mjs) and `make bench viewer`
// (libs/bench's viewer-first-image.mjs, which copies this file beside itself) launch it.
import { chromium } from 'playwright-core';

export function launchHeadlessChromium(executablePath) {
  return chromium.launch({
    executablePath,
    headless: true,
    // As root on a machine without a GPU or an outside network: no sandbox, WebGL through
    // SwiftShader, and none of the background connections it cannot make.
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}
