import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { PanelApp } from '../../components/panel/PanelApp';
import '../../components/panel/panel.css';

const queryClient = new QueryClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <PanelApp />
    </QueryClientProvider>
  </StrictMode>,
);
