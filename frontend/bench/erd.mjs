// The ER diagram benchmark's browser half (run by internal/erd's TestBenchERD): serves the
// production build (frontend/dist) and a diagram JSON on a loopback port, loads the bench page
// (?bench=erd: the real diagram component) in Debian's Chromium through playwright-core a few
// times, and prints one JSON line: {"runs":[ms...], "cpu":[ms of main-thread CPU...],
// "layout":[ms until the layout was known...], "tables", "edges", "drawnTables", "drawnEdges"}.
// Usage: node bench/erd.mjs DIST_DIR DIAGRAM_JSON [RUNS]
import { createServer } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'

const [dist, data, runsArg] = process.argv.slice(2)
if (!dist || !data) {
  console.error('usage: node bench/erd.mjs DIST_DIR DIAGRAM_JSON [RUNS]')
  process.exit(2)
}
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`${dist}/index.html is missing: build the frontend first (cd frontend && npm run build)`)
  process.exit(2)
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium'
if (!existsSync(chromiumPath)) {
  console.error(`Chromium is not at ${chromiumPath} (set CHROMIUM to its path)`)
  process.exit(2)
}
const runs = Number(runsArg ?? 3)
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' }

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const file = path === '/erd-bench.json' ? data : join(dist, normalize(path === '/' ? '/index.html' : path))
  if (!file.startsWith(dist) && file !== data) {
    res.writeHead(403).end()
    return
  }
  try {
    const body = readFileSync(file)
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body)
  } catch {
    res.writeHead(404).end()
  }
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${server.address().port}/?bench=erd`

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const out = { runs: [], cpu: [], layout: [] }
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(url)
    await page.waitForFunction(() => window.__erdReady || window.__erdBench, null, { timeout: 60000 })
    // the main thread's CPU time around the measurement: on shared cores it says what the wall time cannot
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const thread = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0
    const cpu0 = await thread()
    await page.evaluate(() => window.__erdGo?.())
    const handle = await page.waitForFunction(() => window.__erdBench, null, { timeout: 120000 }).catch(() => null)
    const r = handle ? await handle.jsonValue() : { error: `no result within 120 s${errors.length ? `: ${errors.join('; ')}` : ''}` }
    const cpu1 = await thread()
    await page.close()
    if (r.error) throw new Error(r.error)
    out.runs.push(r.ms)
    out.layout.push(r.layoutMs)
    out.cpu.push(Math.round((cpu1 - cpu0) * 1000))
    Object.assign(out, { tables: r.tables, edges: r.edges, drawnTables: r.drawnTables, drawnEdges: r.drawnEdges })
  }
} catch (e) {
  console.error(`erd bench: ${e instanceof Error ? e.message : e}`)
  process.exitCode = 1
} finally {
  await browser.close()
  server.close()
}
if (!process.exitCode) console.log(JSON.stringify(out))
