// Measures web pages in headless Chromium (Debian's), driven by Playwright: what a phone and a printer get.
// Usage: node tests/web/layout-check.mjs PAGE.html... ; prints {"<page>": {phone: {...}, print: {...}}}.
//   phone: the page's scroll width at a 390-pixel viewport (wider means sideways scrolling) and the
//          smallest font size in pixels of any visible text;
//   print: under print media, the CSS display of the navigation parts and the break rules of the blocks.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.PRESSKIT_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const results = {};
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.route(/^(?!file:)/, (route) => route.abort());
  const page = await context.newPage();
  for (const file of process.argv.slice(2)) {
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.emulateMedia({ media: "screen" });
    const phone = await page.evaluate(() => {
      let smallest = Infinity;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const element = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || !element.getClientRects().length) continue;
        const style = getComputedStyle(element);
        if (style.visibility === "hidden" || element.closest(".skip-link")) continue;
        smallest = Math.min(smallest, parseFloat(style.fontSize));
      }
      return { scrollWidth: document.documentElement.scrollWidth, smallestFontPx: smallest };
    });
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => {
      const display = {};
      for (const selector of [".masthead", ".site-footer", ".downloads", ".skip-link", "main"]) {
        const element = document.querySelector(selector);
        if (element) display[selector] = getComputedStyle(element).display;
      }
      const breaks = {};
      for (const selector of [".contacts", "figure.photo"]) {
        const element = document.querySelector(selector);
        if (element) breaks[selector] = getComputedStyle(element).breakInside;
      }
      return { display, breakInside: breaks };
    });
    results[file] = { phone, print };
  }
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
