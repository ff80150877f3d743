/** What the CLI and other features run of market development funds in-process. */
export { creditFundsFromAllocation, grantFund } from './fund.service.js';
export {
  findDealerIdByCode as findFundDealerIdByCode,
  listClaims as listFundClaims,
  listDealerBalances as listFundBalances,
  listRequests as listFundRequests,
  tenantToday as fundTenantToday,
} from './fund.repository.js';
