import { Card, Skeleton } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { RequirePageAccess, RequireSession } from './auth/require-session';
import { useSignedIn } from './auth/session';
import { SignInPage } from './auth/sign-in-page';
import { DashboardPage } from './dashboard/dashboard-page';
import { DealerListPage } from './dealers/dealer-list-page';
import { AppLayout } from './layout/app-layout';
import { isNavGroup, navPages, visibleNav } from './layout/nav';
import { NotFoundPage } from './layout/not-found-page';
import { PendingSectionPage } from './sections/pending-section-page';

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

/** `/settings` opens the first settings page the caller may open. */
function SettingsIndex() {
  const { permissions } = useSignedIn();
  const settings = visibleNav(permissions).find(isNavGroup);
  return <Navigate to={settings?.children[0]?.path ?? '/'} replace />;
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
              <Route path="settings" element={<SettingsIndex />} />
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
              {navPages()
                .filter((page) => page.pending !== undefined)
                .map((page) => (
                  <Route
                    key={page.key}
                    path={page.path.slice(1)}
                    element={<PendingSectionPage section={page} />}
                  />
                ))}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
