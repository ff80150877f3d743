/** What the CLI runs of ladder rebates in-process. */
export {
  createProgram as createRebateProgram,
  listPrograms as listRebatePrograms,
} from './rebate-program.service.js';
export { activeProgramsFor, rebatePreview } from './rebate-preview.service.js';
export { settleRebates } from './rebate-settlement.service.js';
export { previewExport as rebatePreviewExport } from './rebate-export.js';
export { DEMO_REBATE_PROGRAM, seedDemoRebates } from './rebate-demo.js';
