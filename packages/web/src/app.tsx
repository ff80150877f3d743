import { Card, Skeleton } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { RequirePageAccess, RequireSession } from './auth/require-session';
import { useSignedIn } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { DashboardPage } from './dashboard/dashboard-page';
import { DealerListPage } from './dealers/dealer-list-page';
import { AppLayout } from './layout/app-layout';
import { isNavGroup, visibleNav } from './layout/nav';
import { NotFoundPage } from './layout/not-found-page';

// Pages with ECharts or used by few load when opened, not with the shell.
const DealerPage = lazy(() => import('./dealers/dealer-page'));
const PortalPage = lazy(() => import('./portal/portal-page'));
const UsersPage = lazy(() => import('./settings/users-page'));
const TokensPage = lazy(() => import('./settings/tokens-page'));
const AuditPage = lazy(() => import('./settings/audit-page'));
const ImportsPage = lazy(() => import('./imports/imports-page'));
const PoliciesPage = lazy(() => import('./policies/policies-page'));
const PolicyPage = lazy(() => import('./policies/policy-page'));
const AssessmentsPage = lazy(() => import('./assessments/assessments-page'));
const RunPage = lazy(() => import('./assessments/run-page'));
const LedgerPage = lazy(() => import('./ledger/ledger-page'));
const VerifyPage = lazy(() => import('./ledger/verify-page'));
const RebatesPage = lazy(() => import('./resources/rebates-page'));
const FundsPage = lazy(() => import('./resources/funds-page'));
const BenefitsPage = lazy(() => import('./resources/benefits-page'));
const AllocationsPage = lazy(() => import('./resources/allocations-page'));
const AllocationPage = lazy(() => import('./resources/allocation-page'));
const AlertsPage = lazy(() => import('./alerts/alerts-page'));
const AlertRulesPage = lazy(() => import('./alerts/rules-page'));
const AlertPage = lazy(() => import('./alerts/alert-page'));
const NotificationsPage = lazy(() => import('./notifications/notifications-page'));

/** A group's own path (`/settings`, `/resources`) opens the first of its pages the caller may open. */
function GroupIndex({ group }: { group: string }) {
  const { permissions } = useSignedIn();
  const found = visibleNav(permissions)
    .filter(isNavGroup)
    .find((item) => item.key === group);
  return <Navigate to={found?.children[0]?.path ?? '/'} replace />;
}

function PageLoading() {
  return (
    <Card variant="borderless">
      <Skeleton active paragraph={{ rows: 8 }} />
    </Card>
  );
}

function Loaded({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="signin" element={<SignInPage />} />
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route element={<RequirePageAccess />}>
              <Route index element={<DashboardPage />} />
              <Route path="dealers" element={<DealerListPage />} />
              <Route
                path="dealers/:id"
                element={
                  <Loaded>
                    <DealerPage />
                  </Loaded>
                }
              />
              <Route
                path="portal"
                element={
                  <Loaded>
                    <PortalPage />
                  </Loaded>
                }
              />
              <Route
                path="imports"
                element={
                  <Loaded>
                    <ImportsPage />
                  </Loaded>
                }
              />
              <Route
                path="policies"
                element={
                  <Loaded>
                    <PoliciesPage />
                  </Loaded>
                }
              />
              <Route
                path="policies/:name"
                element={
                  <Loaded>
                    <PolicyPage />
                  </Loaded>
                }
              />
              <Route
                path="assessments"
                element={
                  <Loaded>
                    <AssessmentsPage />
                  </Loaded>
                }
              />
              <Route
                path="assessments/:id"
                element={
                  <Loaded>
                    <RunPage />
                  </Loaded>
                }
              />
              <Route
                path="ledger"
                element={
                  <Loaded>
                    <LedgerPage />
                  </Loaded>
                }
              />
              <Route
                path="verify"
                element={
                  <Loaded>
                    <VerifyPage />
                  </Loaded>
                }
              />
              <Route path="resources" element={<GroupIndex group="resources" />} />
              <Route
                path="resources/benefits"
                element={
                  <Loaded>
                    <BenefitsPage />
                  </Loaded>
                }
              />
              <Route
                path="resources/allocations"
                element={
                  <Loaded>
                    <AllocationsPage />
                  </Loaded>
                }
              />
              <Route
                path="resources/allocations/:id"
                element={
                  <Loaded>
                    <AllocationPage />
                  </Loaded>
                }
              />
              <Route
                path="resources/rebates"
                element={
                  <Loaded>
                    <RebatesPage />
                  </Loaded>
                }
              />
              <Route
                path="resources/funds"
                element={
                  <Loaded>
                    <FundsPage />
                  </Loaded>
                }
              />
              <Route
                path="alerts"
                element={
                  <Loaded>
                    <AlertsPage />
                  </Loaded>
                }
              />
              <Route
                path="alerts/rules"
                element={
                  <Loaded>
                    <AlertRulesPage />
                  </Loaded>
                }
              />
              <Route
                path="alerts/notifications"
                element={
                  <Loaded>
                    <NotificationsPage />
                  </Loaded>
                }
              />
              <Route
                path="alerts/:id"
                element={
                  <Loaded>
                    <AlertPage />
                  </Loaded>
                }
              />
              <Route path="settings" element={<GroupIndex group="settings" />} />
              <Route
                path="settings/users"
                element={
                  <Loaded>
                    <UsersPage />
                  </Loaded>
                }
              />
              <Route
                path="settings/tokens"
                element={
                  <Loaded>
                    <TokensPage />
                  </Loaded>
                }
              />
              <Route
                path="settings/audit"
                element={
                  <Loaded>
                    <AuditPage />
                  </Loaded>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
