export * from './config.ts';
export * from './errors/problem.ts';
export { kitErrors } from './errors/kit.errors.ts';
export * from './db/index.ts';
export { createServiceApp, type ServiceApp, type ServiceAppOptions } from './http/app.ts';
export { actorOf, principalOf, DOCS_TOKEN_COOKIE, type TokenVerifier } from './http/security.ts';
export { continueTrace, type TraceContext } from './http/trace.ts';
export { createLogger, REDACTED_PATHS } from './http/logger.ts';
export { DURATION_BUCKETS_SECONDS } from './http/metrics.ts';
export { PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './http/problem-handler.ts';
export { requestPartValidator, type HttpPart } from './http/input.ts';
export type { ReadinessCheck } from './http/health.ts';
export { openServiceDatabase, openServiceTransport, runService } from './run.ts';
export {
  bindingsOf,
  defineService,
  optionsOf,
  ServiceDefinitionError,
  tablesOf,
  type AnyConsumedEvent,
  type AnyServiceDefinition,
  type Built,
  type BuildResult,
  type ConfigOf,
  type ConsumedEvent,
  type ConsumedEvents,
  type Egress,
  type EventHandlers,
  type ServiceContext,
  type ServiceDefinition,
  type TypedEventHandler,
} from './service/define-service.ts';
export { buildService, type BuildServiceInputs } from './service/build-service.ts';
export {
  ServiceEvents,
  type ChangeAction,
  type ChangeEvent,
  type EventSubscription,
  type EventTransaction,
  type ServiceEventsOptions,
} from './events/service-events.ts';
export { currentRequest, type RequestContext } from './events/request-context.ts';
export { Type, type Static, type TSchema } from 'typebox';
export * from './http/resource.ts';
export {
  registerBusinessRoutes,
  type BusinessResource,
  type BusinessRoute,
  type BusinessUseCases,
} from './http/business-routes.ts';
