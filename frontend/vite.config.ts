import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The desktop binary embeds dist/; the dev-tag binary serves it with -assetdir.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    // keep dist/.gitkeep: the Go embed in main.go needs a file on a fresh clone
    emptyOutDir: false,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
})
