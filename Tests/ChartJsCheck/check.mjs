// Renders every Chart.js config (*.json) in a folder with the real Chart.js 4 in headless Debian Chromium.
// A config fails when `new Chart(canvas, config)` throws, Chart.js logs an error, or the canvas stays blank.
// Usage: node check.mjs [DIR]   (DIR defaults to $CHARTJS_CHECK_DIR, then <tmp>/chartcraft-chartjs-configs)
// Set CHARTJS_SCREENSHOT_DIR to also save a PNG of each chart for a look by eye.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const dir = process.argv[2] ?? process.env.CHARTJS_CHECK_DIR ?? path.join(tmpdir(), 'chartcraft-chartjs-configs');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = process.env.CHARTJS_SCREENSHOT_DIR;
if (screenshotDir) await mkdir(screenshotDir, { recursive: true });

// chart.js 4 ships its UMD bundle as dist/chart.umd.js (some 4.x releases also as chart.umd.min.js).
const distDir = path.dirname(require.resolve('chart.js'));
const umd = ['chart.umd.min.js', 'chart.umd.js'].map((f) => path.join(distDir, f)).find(existsSync);
if (!umd) {
  console.error(`no Chart.js UMD bundle found in ${distDir}`);
  process.exit(2);
}

const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.json')).sort() : [];
if (files.length === 0) {
  console.error(`no *.json configs in ${dir}; run the .NET tests first (ChartJsConfigExportTests writes them)`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let failed = 0;
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  // Nothing may come from the network: the page and Chart.js are injected locally.
  await page.route('**/*', (route) => route.abort());
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.setContent('<!doctype html><html><body style="margin:0"><div id="box" style="width:800px"></div></body></html>');
  await page.addScriptTag({ content: await readFile(umd, 'utf8') });
  const version = await page.evaluate(() => window.Chart?.version);
  if (!version) throw new Error('Chart.js did not load');
  console.log(`Chart.js ${version} (${path.basename(umd)}), ${files.length} configs from ${dir}`);

  for (const file of files) {
    problems.length = 0;
    let config;
    try {
      config = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    } catch (e) {
      failed++;
      console.log(`FAIL ${file}: not JSON (${e.message})`);
      continue;
    }
    const result = await page.evaluate((cfg) => {
      const box = document.getElementById('box');
      box.innerHTML = '<canvas id="c"></canvas>';
      const canvas = document.getElementById('c');
      cfg.options = cfg.options ?? {};
      cfg.options.animation = false; // draw synchronously, so the pixels are there to count
      let chart;
      try {
        chart = new Chart(canvas, cfg);
      } catch (e) {
        return { error: String(e?.stack ?? e) };
      }
      const ctx = canvas.getContext('2d');
      const { width, height } = canvas;
      const pixels = ctx.getImageData(0, 0, width, height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
      // Data elements that landed inside the chart area, not only axes and titles.
      let elements = 0;
      chart.data.datasets.forEach((_, i) => {
        for (const el of chart.getDatasetMeta(i).data) if (Number.isFinite(el.x) && Number.isFinite(el.y) && !el.skip) elements++;
      });
      const background = cfg.options?.plugins?.chartcraft?.background ?? '#ffffff';
      const png = document.createElement('canvas');
      png.width = width;
      png.height = height;
      const pngCtx = png.getContext('2d');
      pngCtx.fillStyle = background;
      pngCtx.fillRect(0, 0, width, height);
      pngCtx.drawImage(canvas, 0, 0);
      const summary = { width, height, painted, elements, type: chart.config.type, datasets: chart.data.datasets.length, png: png.toDataURL('image/png') };
      chart.destroy();
      return summary;
    }, config);

    if (screenshotDir && result.png) {
      await writeFile(path.join(screenshotDir, file.replace(/\.json$/, '.png')), Buffer.from(result.png.split(',')[1], 'base64'));
    }
    const reasons = [];
    if (result.error) reasons.push(`threw: ${result.error.split('\n')[0]}`);
    else {
      if (result.painted === 0) reasons.push('canvas is blank');
      if (result.elements === 0) reasons.push('no data element drawn');
    }
    reasons.push(...problems);
    if (reasons.length > 0) {
      failed++;
      console.log(`FAIL ${file}: ${reasons.join('; ')}`);
    } else {
      console.log(`ok   ${file}: ${result.type}, ${result.datasets} dataset(s), ${result.elements} elements, ${result.painted} painted pixels of ${result.width}x${result.height}`);
    }
  }
} finally {
  await browser.close();
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
