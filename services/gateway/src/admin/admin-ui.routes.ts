import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ServiceApp } from '@lessor/service-kit';

/**
 * Serves the admin UI (apps/admin, built by `npm run build:admin`) at `/`: its files, and `index.html` for any
 * other path that is not an API, health or metrics route, so a deep link (`/contracts/…`) opens the app, which
 * routes it itself. These files are public — they hold no data; every call the UI makes needs a token (ADR 12).
 * Hashed assets are cached for a year; `index.html` never, so a new build is seen at once.
 */
export async function registerAdminUiRoutes(app: ServiceApp, options: { dir: string }): Promise<void> {
  const index = join(options.dir, 'index.html');
  await app.register(fastifyStatic, { root: options.dir, serve: false });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    // The gateway's own API (`/v1/…`) and health: a path there that no route takes is a 404 problem, not the app.
    if (/^(?:api|v1|health)\//.test(path)) return reply.callNotFound();
    if (!existsSync(index)) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The admin UI is not built: run `npm run build:admin` (npm start does it).');
    }
    if (path.startsWith('assets/') && extname(path) !== '') {
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path);
    }
    // Not a hashed asset: a route of the app (or a file at the root, such as a favicon).
    const file =
      path !== '' && extname(path) !== '' && existsSync(join(options.dir, path)) ? path : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(file);
  });
}
