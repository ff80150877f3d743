import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The Tierline version, from the CLI package's manifest. */
export const VERSION = (require('../package.json') as { version: string }).version;
