import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setUnauthenticatedHandler } from './api/client';
import { createQueryClient } from './api/queries';
import { App } from './app';
import { replaceSession } from './auth/session';
import { LocaleProvider } from './i18n/locale';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

const queryClient = createQueryClient();
// A 401 from any API call means the session is over: forget it (and everything it loaded), and
// the session guard shows the sign-in page, which comes back to this page afterwards.
setUnauthenticatedHandler(() => replaceSession(queryClient, null));

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <App />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
