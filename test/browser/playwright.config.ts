/**
 * `npm run test:browser`: Playwright driving Debian's Chromium (/usr/bin/chromium; Playwright's own
 * browser download is not used). The spec starts its own server, helper and gateway.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../reports/browser/results',
});
