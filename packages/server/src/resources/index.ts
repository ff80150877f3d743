/** What the CLI runs of the resources feature (benefits, allocations, ROI) in-process. */
export { listBenefits } from './benefit.repository.js';
export { benefitMatrix, createBenefit, saveBenefitValues } from './benefit.service.js';
export {
  allocationDetail,
  allocationLines,
  createAllocation,
  listAllocationSummaries,
  previewAllocation,
  publishAllocation,
  type AllocationRequest,
} from './allocation.service.js';
export { allocationExport, majorUnits } from './allocation-export.js';
export { resourceRoi } from './roi.service.js';
