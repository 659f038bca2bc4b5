import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The GraphQL IDE page (served at /graphiql outside production): React itself, built next to the app in dist/.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: { graphiql: resolve(import.meta.dirname, 'graphiql.html') } },
  },
});
