import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The desktop binary embeds dist/; the dev-tag binary serves it with -assetdir.
export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    // stale hashed assets would be embedded too; `npm run build` puts back dist/.gitkeep,
    // the committed file that lets main.go's embed compile on a fresh clone
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
})
