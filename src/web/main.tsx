import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/client.ts';
import { App } from './App.tsx';
import { installUnsavedChangesGuard } from './components/useUnsavedChangesGuard.ts';
import { noticeSignedOut } from './features/accounts/queries.ts';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import './styles/layout.css';

const queryClient: QueryClient = new QueryClient({
  // A 401 from any request means the session has ended: the header then offers to sign in.
  queryCache: new QueryCache({ onError: (error) => noticeSignedOut(queryClient, error) }),
  mutationCache: new MutationCache({ onError: (error) => noticeSignedOut(queryClient, error) }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // A 4xx answer will not change by asking again; a network or server failure might.
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.isClientError) && failureCount < 2,
      retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4000),
    },
    mutations: { retry: false },
  },
});

// Before the router mounts: the unsaved-changes guard must hear of Back before the router does.
installUnsavedChangesGuard();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
