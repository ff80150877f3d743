import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Libraries that change rarely get their own chunks, so an app release does not make
// browsers download antd or echarts again. ECharts is only imported by the lazily loaded
// dealer page, so the console's first paint does not wait for it.
const vendorGroups = [
  {
    name: 'react',
    test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/,
  },
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
  {
    name: 'antd',
    test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs|stylis)[\\/]/,
  },
  { name: 'query', test: /node_modules[\\/]@tanstack[\\/]/ },
];

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@tierline/contract': fileURLToPath(new URL('../contract/src/index.ts', import.meta.url)),
      // The ledger's verification code, from core's source: the console checks logs and
      // résumés with the code `tierline ledger verify` runs, over a browser node:crypto.
      '@tierline/core/ledger': fileURLToPath(
        new URL('../core/src/ledger/index.ts', import.meta.url),
      ),
      'node:crypto': fileURLToPath(new URL('./src/ledger/node-crypto-shim.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The antd vendor chunk alone is about 1.24 MB minified (≈ 390 kB gzip) now that the console
    // uses most of its components; it is cached across releases. Anything larger is a mistake.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  server: {
    // The public tiles (/ledger/<tenant>/…) too; /ledger alone is the console's page.
    proxy: { '/api': 'http://localhost:3000', '^/ledger/[^/]+/': 'http://localhost:3000' },
  },
});
