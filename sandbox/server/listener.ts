// One port for http and https: the first byte of a connection says which (0x16 opens a TLS
// handshake). Amplify v6 always dials wss on the GraphQL URL's port, so both must live there.
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

const TLS_HANDSHAKE = 0x16;

export interface DualListener {
  port: number;
  close(): Promise<void>;
}

export function listenDual(http: HttpServer, https: HttpsServer, port: number, host: string): Promise<DualListener> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          http.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
