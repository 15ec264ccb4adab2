// Runs axe-core on web pages in headless Chromium (Debian's, never a downloaded one), driven by Playwright.
// Usage: node tests/web/axe-check.mjs PAGE.html... ; prints one JSON object: {"<page>": [violations...]}.
// Each violation: {id, impact, help, nodes: [css targets]}. Exit status 0 when the pages were checked.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const executablePath = process.env.PRESSKIT_CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const results = {};
try {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    // The pages are static files: nothing may come from the network.
    await context.route(/^(?!file:)/, (route) => route.abort());
    const page = await context.newPage();
    for (const file of process.argv.slice(2)) {
      await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        const report = await window.axe.run(document, { resultTypes: ["violations"] });
        return report.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
      });
      const key = `${file}@${width}`;
      results[key] = found;
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
