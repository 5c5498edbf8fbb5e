import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KpiPage } from '../../components/kpis/KpiPage';
import '../../components/panel/panel.css';
import '../../components/shared/page.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KpiPage />
  </StrictMode>,
);
