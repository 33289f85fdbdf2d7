import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServiceClient } from './service-client.ts';
import { createNodeFetch } from './node-fetch.ts';

let server: Server;
let url: string;
const connections = new Set<unknown>();

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/stall') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
      return; // never ends
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.setHeader('x-seen', 'a');
      response.appendHeader('x-seen', 'b');
      response.end(JSON.stringify({ method: request.method, body, auth: request.headers.authorization }));
    });
  });
  server.on('connection', (socket) => connections.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('createNodeFetch (issue 13: calls between services without the global fetch)', () => {
  it('should send method, headers and body and read status, headers and body over one kept-alive connection', async () => {
    const { fetch, close } = createNodeFetch();
    connections.clear();
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await fetch(`${url}/echo`, {
          method: 'POST',
          headers: new Headers({ authorization: 'Bearer t', 'content-type': 'application/json' }),
          body: '{"ü":1}',
        });
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-seen')).toBe('a, b');
        expect(JSON.parse(await answer.text())).toEqual({
          method: 'POST',
          body: '{"ü":1}',
          auth: 'Bearer t',
        });
      }
      expect(connections.size).toBe(1);
    } finally {
      close();
    }
  });

  it('should reject with the signal reason when the answer stalls midway and the signal aborts', async () => {
    const { fetch, close } = createNodeFetch();
    try {
      const reason = new DOMException('the call deadline passed', 'TimeoutError');
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 100);
      await expect(fetch(`${url}/stall`, { signal: controller.signal })).rejects.toBe(reason);
    } finally {
      close();
    }
  });

  it('should reject with the system error code when nothing listens', async () => {
    const stopped = createServer();
    await new Promise<void>((resolve) => stopped.listen(0, '127.0.0.1', resolve));
    const port = (stopped.address() as AddressInfo).port;
    await new Promise((resolve) => stopped.close(resolve));
    const { fetch, close } = createNodeFetch();
    try {
      await expect(fetch(`http://127.0.0.1:${port}/`, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      close();
    }
  });

  it('should not use the global fetch when a service client is given none', async () => {
    const global = vi.spyOn(globalThis, 'fetch');
    const client = createServiceClient({ service: 'echo', baseUrl: url });
    try {
      const answer = await client.get<{ method: string }>('/echo');
      expect(answer.method).toBe('GET');
      expect(global).not.toHaveBeenCalled();
    } finally {
      client.close();
      global.mockRestore();
    }
  });
});
