import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KpiApp } from '../../components/kpis/KpiApp';
import '../../components/panel/panel.css';
import '../../components/shared/page.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KpiApp />
  </StrictMode>,
);
