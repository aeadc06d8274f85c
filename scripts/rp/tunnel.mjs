// @ts-check
// An HTTP CONNECT proxy that sends the tunnels asked for each of some host:ports to a local
// port, and refuses the rest: how a test gives Firefox (which has no --host-resolver-rules)
// https sites at host names and port 443 that the test serves elsewhere.
//
//   const tunnel = await startTunnel({ 'localhost:443': site.port });  // Firefox: network.proxy.ssl{,_port}
//   tunnel.tunnelled                                                 // how many tunnels it made

import http from 'node:http';
import net from 'node:net';

/** @param {Record<string, number>} routes host:port asked for → the local port it ends at */
export async function startTunnel(routes) {
  let tunnelled = 0;
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    const port = Object.hasOwn(routes, req.url ?? '') ? routes[req.url ?? ''] : undefined;
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    tunnelled++;
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get tunnelled() {
      return tunnelled;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
