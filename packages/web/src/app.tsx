import { Card, Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { DashboardPage } from './dashboard/dashboard-page';
import { DealerListPage } from './dealers/dealer-list-page';
import { AppLayout } from './layout/app-layout';
import { NotFoundPage } from './layout/not-found-page';
import { sections } from './layout/sections';
import { PendingSectionPage } from './sections/pending-section-page';

// The dealer page carries ECharts; load it when a dealer is opened, not with the shell.
const DealerPage = lazy(() => import('./dealers/dealer-page'));

function PageLoading() {
  return (
    <Card variant="borderless">
      <Skeleton active paragraph={{ rows: 8 }} />
    </Card>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<AppLayout />}>
          <Route index element={<DashboardPage />} />
          <Route path="dealers" element={<DealerListPage />} />
          <Route
            path="dealers/:id"
            element={
              <Suspense fallback={<PageLoading />}>
                <DealerPage />
              </Suspense>
            }
          />
          {sections
            .filter((s) => s.pending !== undefined)
            .map((s) => (
              <Route key={s.key} path={s.path} element={<PendingSectionPage section={s} />} />
            ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
