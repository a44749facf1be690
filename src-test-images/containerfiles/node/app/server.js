// Berth's test app: `node server.js` answers on port 3000 (or $PORT).
//   GET /          -> "hello from berth"
//   GET /hostname  -> the container's hostname
//   GET /env       -> the environment as JSON
//   GET /env/NAME  -> the value of one variable (404 when unset)
'use strict';
const http = require('http');
const os = require('os');

const port = Number(process.env.PORT || 3000);

const server = http.createServer((req, res) => {
  const send = (status, type, body) => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  };
  if (req.url === '/') return send(200, 'text/plain', 'hello from berth\n');
  if (req.url === '/hostname') return send(200, 'text/plain', os.hostname() + '\n');
  if (req.url === '/env') return send(200, 'application/json', JSON.stringify(process.env) + '\n');
  if (req.url.startsWith('/env/')) {
    const value = process.env[decodeURIComponent(req.url.slice(5))];
    return value === undefined ? send(404, 'text/plain', 'unset\n') : send(200, 'text/plain', value + '\n');
  }
  send(404, 'text/plain', 'not found\n');
});

server.listen(port, () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
