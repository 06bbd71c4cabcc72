// Drives the playground page in a real headless Chromium as a user would, for tests/playground.rs
// (which builds and serves the page, then checks what this prints).
//
//   node playground/tests/browser.mjs '<JSON>'
//
// The JSON: { url, chromium, dockerfile, files: [{ path, text }], screenshot, timeoutMs }.
// Steps: open the page (no state in its URL: the built-in example), empty the Dockerfile and
// remove the example's files, add each of `files` (type its path, paste its text), paste
// `dockerfile` into the Dockerfile field, wait for the result, take the screenshot, then open the
// URL the page wrote in a new page and wait for its result. Prints one JSON object with what
// each step showed; it asserts nothing itself. Exits 1 with a message when a step times out.

import { chromium } from "playwright-core";

const config = JSON.parse(process.argv[2]);
const timeout = config.timeoutMs ?? 30000;

// what the page shows, once the last edit's result is on it and in its URL
async function settled(page, afterRuns) {
  await page.waitForFunction(
    (after) => {
      const d = document.body.dataset;
      return Number(d.runs ?? 0) > after && d.pending === "0" && d.linked === d.runs;
    },
    afterRuns,
    { timeout },
  );
  return page.evaluate(() => ({
    runs: Number(document.body.dataset.runs),
    diff: document.getElementById("diff").textContent,
    notes: [...document.querySelectorAll("#notes li")].map((li) => li.textContent),
    output: document.getElementById("output").textContent,
    status: document.getElementById("status").textContent,
    dockerfile: document.getElementById("dockerfile").value,
    files: [...document.querySelectorAll("#files .file")].map((f) => ({
      path: f.querySelector(".file-path").value,
      text: f.querySelector(".file-text").value,
    })),
    url: location.href,
  }));
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const errors = [];
const result = { errors };
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const watch = (page) => {
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  };
  const page = await context.newPage();
  watch(page);

  const opened = Date.now();
  await page.goto(config.url);
  result.example = await settled(page, 0);
  result.loadToFirstResultMs = await page.evaluate(() => Number(document.body.dataset.firstResultMs));
  result.openToExampleMs = Date.now() - opened;

  // start from an empty page, as a user would: select the Dockerfile's text and delete it,
  // remove the example's files
  let runs = result.example.runs;
  await page.click("#dockerfile");
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  while ((await page.locator("#files .file-remove").count()) > 0) {
    await page.locator("#files .file-remove").first().click();
  }
  result.cleared = await settled(page, runs);
  runs = result.cleared.runs;

  for (const file of config.files) {
    await page.click("#add-file");
    const row = page.locator("#files .file").last();
    await row.locator(".file-path").pressSequentially(file.path);
    await row.locator(".file-text").click();
    await page.keyboard.insertText(file.text); // a paste: the whole text in one input event
  }
  await page.click("#dockerfile");
  await page.keyboard.insertText(config.dockerfile);
  result.pasted = await settled(page, runs);

  if (config.screenshot) {
    await page.screenshot({ path: config.screenshot });
  }

  // the link the page wrote, opened in a new page
  const again = await context.newPage();
  watch(again);
  await again.goto(result.pasted.url);
  result.reopened = await settled(again, 0);
} catch (e) {
  console.error(`browser: ${e.message}`);
  if (errors.length > 0) console.error(errors.join("\n"));
  await browser.close();
  process.exit(1);
}
await browser.close();
console.log(JSON.stringify(result));
