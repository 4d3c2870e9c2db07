// The loopback targets the docs' examples send to: $TARGET (HTTP) and $TLS_TARGET (HTTPS, with the
// self-signed certificate of the tests), both on 127.0.0.1 and a free port, started and stopped by
// scripts/docs.js. Nothing else is ever sent traffic.
//
// $TARGET answers:
//   /orders    POST with "authorization: Bearer s3cret" and a JSON body: 201 {"id": n}; a wrong method
//              405, a missing or wrong token 401, another content type 415 (a small API with rules)
//   /conflict  every fourth request 409 (a duplicate), the rest 200
//   /old       301 to /
//   anything else: 200 "ok", at once
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

function handler() {
  let orders = 0;
  let conflicts = 0;
  return (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      const answer = (status, body, headers = {}) => {
        res.writeHead(status, { 'content-type': 'text/plain', ...headers });
        res.end(body);
      };
      if (path === '/orders') {
        if (req.method !== 'POST') return answer(405, 'POST only\n', { allow: 'POST' });
        if (req.headers.authorization !== 'Bearer s3cret') return answer(401, 'who are you?\n');
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return answer(415, 'JSON only\n');
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(400, 'bad JSON\n');
        }
        return answer(201, `${JSON.stringify({ id: ++orders })}\n`, { 'content-type': 'application/json' });
      }
      if (path === '/conflict') return ++conflicts % 4 === 0 ? answer(409, 'duplicate\n') : answer(200, 'ok\n');
      if (path === '/old') return answer(301, 'moved\n', { location: '/' });
      return answer(200, 'ok\n');
    });
  };
}

function listen(server) {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** Starts both servers; returns their URLs (no trailing slash) and a function that stops them. */
export async function startTargets({ certFile, keyFile }) {
  const plain = http.createServer(handler());
  const secure = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, handler());
  const [port, tlsPort] = [await listen(plain), await listen(secure)];
  const close = (server) =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    target: `http://127.0.0.1:${port}`,
    tlsTarget: `https://127.0.0.1:${tlsPort}`,
    stop: () => Promise.all([close(plain), close(secure)]),
  };
}
