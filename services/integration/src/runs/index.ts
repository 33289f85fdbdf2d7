export type { RunContext, RunJob, RunPage, RunRecord, RunRecordInput, SyncRun } from './run.ts';
export { percentOf } from './run.ts';
export { RunLostError, RunService, type RunServiceOptions } from './run.service.ts';
export { registerRunRoutes } from './run.routes.ts';
