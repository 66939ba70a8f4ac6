import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyServerOptions } from 'fastify';
import { authRoutes } from './modules/accounts/auth.routes.ts';
import { credentialsRoutes } from './modules/accounts/credentials.routes.ts';
import { invitationRoutes } from './modules/accounts/invitation.routes.ts';
import { userRoutes } from './modules/accounts/user.routes.ts';
import { spcRoutes } from './modules/analysis/spc.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { coalitionRoutes } from './modules/coalition/coalition.routes.ts';
import { organisationRoutes } from './modules/directory/organisation.routes.ts';
import { charterRoutes } from './modules/improvement/charter.routes.ts';
import { projectRoutes } from './modules/improvement/project.routes.ts';
import { driverDiagramRoutes } from './modules/improvement/driver-diagram.routes.ts';
import { changeIdeaRoutes } from './modules/improvement/change-idea.routes.ts';
import { pdsaRoutes } from './modules/improvement/pdsa.routes.ts';
import { measureRoutes } from './modules/improvement/measure.routes.ts';
import { measureDataRoutes } from './modules/improvement/measure-data.routes.ts';
import { annotationRoutes } from './modules/improvement/annotation.routes.ts';
import { dashboardRoutes } from './modules/improvement/dashboard.routes.ts';
import { structureRoutes } from './modules/structure/structure.routes.ts';
import { healthRoutes } from './modules/system/health.routes.ts';
import type { AppContext } from './platform/context.ts';
import { ensureSameOrigin } from './platform/csrf.ts';
import { AppError } from './platform/errors.ts';
import {
  registerJsonParser,
  registerNulGuard,
  requestIdFor,
  sendProblem,
  toAppError,
} from './platform/http.ts';
import type { Api, RoutePlugin } from './platform/http-types.ts';
import { Problem } from './platform/schemas.ts';

export interface BuildAppOptions {
  ctx: AppContext;
  /** Directory of the built web app (index.html + assets); omitted → API only. */
  webRoot?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /**
   * Trust X-Forwarded-* from a reverse proxy (true, or the proxies' addresses), so that TLS
   * terminated there is seen: Secure cookies, HSTS, the CSRF origin check.
   */
  trustProxy?: boolean | string;
}

/** Every route module of the API, in registration order. */
const ROUTES: RoutePlugin[] = [
  healthRoutes,
  authRoutes,
  credentialsRoutes,
  userRoutes,
  invitationRoutes,
  coalitionRoutes,
  structureRoutes,
  organisationRoutes,
  auditRoutes,
  spcRoutes,
  charterRoutes,
  projectRoutes,
  driverDiagramRoutes,
  changeIdeaRoutes,
  pdsaRoutes,
  measureRoutes,
  measureDataRoutes,
  annotationRoutes,
  dashboardRoutes,
];

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export async function buildApp(options: BuildAppOptions): Promise<Api> {
  const { ctx } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: requestIdFor,
    trustProxy: options.trustProxy ?? false,
    ajv: {
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    // Only over TLS: HSTS on plain http would be ignored, and on localhost it would be harmful.
    if (request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (!request.url.startsWith('/api/docs')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    }
    return payload;
  });

  app.addHook('onRequest', async (request) => ensureSameOrigin(request));
  registerJsonParser(app);
  registerNulGuard(app);
  app.addSchema(Problem);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tandem API',
        version: ctx.version,
        description:
          'REST API of Tandem. JSON is snake_case; errors are application/problem+json with a stable `code`; ' +
          'lists are cursor-paginated (`limit`, `cursor` → `next_cursor`); reads return an ETag and updates ' +
          'require it in If-Match (412 when stale, 428 when missing).',
      },
      tags: [
        { name: 'System', description: 'Health and metadata' },
        { name: 'Accounts', description: 'Sign-in, sessions and the current user' },
        {
          name: 'Coalition',
          description: 'The hub this instance serves, its networks, teams and roles',
        },
        { name: 'Directory', description: 'Organisations of the ecosystem' },
        { name: 'Audit', description: 'Who changed what: the audit log and record histories' },
        {
          name: 'Improvement',
          description:
            'Charters, team projects, driver diagrams, change ideas, PDSA cycles, measures, their data and annotations',
        },
        {
          name: 'Analysis',
          description:
            'Stateless statistics on posted data (SPC charts). Field names follow the engine and CLI (camelCase).',
        },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, problem);
  });

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
  for (const routes of ROUTES) routes(app, ctx);

  const indexHtml = options.webRoot ? path.join(options.webRoot, 'index.html') : undefined;
  const serveWeb = indexHtml !== undefined && fs.existsSync(indexHtml);
  if (serveWeb && options.webRoot) {
    await app.register(fastifyStatic, {
      root: options.webRoot,
      wildcard: true,
      index: ['index.html'],
      setHeaders(reply, filePath) {
        // Vite fingerprints everything under assets/, so those can be cached for good.
        reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (serveWeb && isPage) {
      // Client-side routes: the web app decides what to show (including its own 404 page).
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(
      request,
      reply,
      new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
    );
  });

  return app;
}
