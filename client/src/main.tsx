import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import './i18n';
import './styles.css';
import { App } from './App';
import { createApi } from './lib/apollo';
import { ApiProvider } from './lib/api-context';

const api = createApi();

// The first render in a task of its own, after the modules' own start-up: two shorter tasks keep a phone responsive.
setTimeout(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ApiProvider api={api}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ApiProvider>
    </StrictMode>,
  ),
);
