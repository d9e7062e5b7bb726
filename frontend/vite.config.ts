import { writeFileSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// One build serves both doors: the Wails window and `budayang serve` embed frontend/dist.
export default defineConfig({
  plugins: [
    vue(),
    {
      // Keeps dist/.gitkeep so the Go side's //go:embed finds the folder in a fresh clone.
      name: 'keep-dist-folder',
      apply: 'build',
      closeBundle() {
        writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '')
      },
    },
  ],
  base: './',
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8470' },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.spec.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
  },
})
