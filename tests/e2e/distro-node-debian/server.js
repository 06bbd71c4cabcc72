const express = require("express");

const app = express();
app.get("/", (_req, res) => res.json({ ok: true }));
const server = app.listen(8080, () => {
  console.log(`DISTRO-NODE-E2E-OK express ${require("express/package.json").version} on 8080`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
