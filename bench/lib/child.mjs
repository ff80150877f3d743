// Child-process entry: `node bench/lib/child.mjs <module URL> <export name> <JSON args>`.
// Runs one exported async function of a module and reports its result and the process's peak
// resident set size to the parent over IPC, so every measurement has its own address space
// and `maxRSS` belongs to that measurement alone.
const [moduleUrl, exportName, argsJson] = process.argv.slice(2);

try {
  const mod = await import(moduleUrl);
  const fn = mod[exportName];
  if (typeof fn !== 'function')
    throw new Error(`${moduleUrl} has no exported function ${exportName}`);
  const result = await fn(JSON.parse(argsJson ?? '{}'));
  // resourceUsage().maxRSS is in kilobytes (KiB on Linux).
  process.send({ ok: true, result, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
} catch (error) {
  process.send({
    ok: false,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
process.disconnect();
