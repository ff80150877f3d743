import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/**
 * Run `exportName` of the module at `moduleUrl` with `args` (JSON) in a fresh Node process.
 * Resolves with `{ result, peakRssBytes, seconds }`; rejects with the child's error.
 * stdout/stderr of the child go to ours, so progress lines stay visible.
 */
export function runInChild(moduleUrl, exportName, args = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(CHILD, [moduleUrl, exportName, JSON.stringify(args)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message;
    child.on('message', (m) => (message = m));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (message?.ok)
        return resolve({ result: message.result, peakRssBytes: message.peakRssBytes, seconds });
      reject(
        new Error(message?.error ?? `${exportName} exited with ${signal ?? code} and no result`),
      );
    });
  });
}
