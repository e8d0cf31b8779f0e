/**
 * `npm run demo:web`: the client's page against a local server and helper. Builds the page, starts the
 * server (the default model, porthos) and the helper as `cryptflow party` processes with WebSocket
 * listeners and throw-away certificates, serves the page from a local gateway, and prints the URL and
 * how to open it with the three certificates trusted. Ctrl-C stops everything and deletes the keys.
 */
import { join } from 'node:path';
import { readLabels } from '../harness/cli/run.js';
import { trustedSpkis } from '../harness/cli/serve-client.js';
import { startLocalWeb } from '../harness/web/local.js';
import { buildWeb, WEB_DIR } from './build-web.js';

const root = join(WEB_DIR, '..', '..');
const example = (f: string): string => join(root, 'examples', 'default', f);

async function main(): Promise<void> {
  await buildWeb();
  const port = Number(process.env['PORT'] ?? 8443);
  const web = await startLocalWeb({
    serverArgs: ['--model', example('lesion-cnn.onnx'), '--backend', 'porthos'],
    webDir: WEB_DIR,
    labels: readLabels(example('labels.json')),
    port,
    log: (l) => console.error(l),
  });
  const spki = trustedSpkis(web.config).join(',');
  console.log(`
cryptflow demo: the server (P1) and the helper (P2) are running; the client's page is at

  ${web.gateway.url}

The three use throw-away certificates, so the browser must be told to trust them. With Chromium or
Chrome (a separate profile, so that nothing else is affected):

  chromium --user-data-dir=$(mktemp -d) --ignore-certificate-errors-spki-list=${spki} ${web.gateway.url}

Then pick ${example('sample-lesion.png')} (or sample-clear.png) and press Classify.
Ctrl-C stops the parties and deletes the keys.`);
  const stop = (): void => void web.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`demo:web: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
