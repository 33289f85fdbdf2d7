import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run build:admin` writes dist/, which the gateway serves at /. `npm run dev -w @lessor/admin` serves the
// sources with hot reload and sends /api to a running `npm start` (the gateway on 8080).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
