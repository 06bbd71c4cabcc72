// An HTTP server run by a globally installed process manager (pm2-runtime).
const http = require("http");
const ms = require("ms");

const started = Date.now();
http
  .createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`NODE-GLOBAL-E2E-OK up ${ms(Date.now() - started)}\n`);
  })
  .listen(3000, () => console.log("NODE-GLOBAL-E2E-OK listening on 3000 under pm2-runtime"));
