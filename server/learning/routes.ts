// HTTP routes of the learning loop. Thin: validate with the shared contract, call the
// LearningService, answer. Mounted by server/service/routes/index.ts.
import express, { type Request, type Response } from 'express';
import { PoetError } from '../../shared/contract/errors';
import {
  ExecutionBatchSchema,
  ExecutionListQuerySchema,
  ExecutionRequestSchema,
  FeedbackRequestSchema,
  LearningSettingsPatchSchema,
  RecordIdSchema,
  TrainRequestSchema,
  type ExecutionBatchResponse,
  type ExecutionResponse,
  type FeedbackResponse,
  type ServiceMetrics,
} from '../../shared/contract/learning';
import type { LearningDeps } from './deps';
import { parseOr400 } from '../validate';
import { checkKey } from '../storage/paths';
import { LearningService, type LearningOptions } from './service';

const services = new WeakMap<LearningDeps, LearningService>();

/** The learning service of a running service: one per `deps`, shared by its router and the fast path. */
export function learningService(deps: LearningDeps, options?: LearningOptions): LearningService {
  let s = services.get(deps);
  if (!s) services.set(deps, (s = new LearningService(deps, options)));
  return s;
}

/**
 * POST /poet/executions' work, shared by the Express route and the fast path
 * (server/service/fast-path.ts): every call of enhanced code reports here, one record (an
 * object) or a batch (an array, at most MAX_EXECUTION_BATCH). A batch is stored whole or not at
 * all, and answered once every record in it is durable.
 */
export async function postExecution(service: LearningService, body: unknown): Promise<ExecutionResponse | ExecutionBatchResponse> {
  if (!Array.isArray(body)) {
    const [rec] = await service.recordExecutions([parseOr400(ExecutionRequestSchema, body, 'execution record')]);
    return { execution_id: rec!.context.execution_id };
  }
  let batch;
  try {
    batch = parseOr400(ExecutionBatchSchema, body, 'execution batch');
  } catch (e) {
    // Fields of a batch read `[3].duration_ms`: which record, then which field.
    if (e instanceof PoetError && Array.isArray(e.details)) {
      const details = (e.details as Array<{ field: string }>).map((d) => ({ ...d, field: d.field.replace(/^(\d+)(\.|$)/, '[$1]$2') }));
      throw new PoetError(e.code, e.message.replace(/(^|; |: )(\d+)\./g, '$1[$2].'), details);
    }
    throw e;
  }
  const recs = await service.recordExecutions(batch);
  return { execution_ids: recs.map((r) => r.context.execution_id) };
}

export function createLearning(deps: LearningDeps, options?: LearningOptions): { service: LearningService; router: express.Router } {
  const service = learningService(deps, options);
  const r = express.Router();

  r.post('/poet/executions', async (req: Request, res: Response) => {
    res.status(201).json(await postExecution(service, req.body));
  });

  r.get('/poet/executions/:id', async (req: Request, res: Response) => {
    const id = parseOr400(RecordIdSchema, req.params.id, 'execution id');
    const { record, feedback } = await service.getExecution(id);
    res.json({ context: record.context, result: record.result, feedback });
  });

  r.get('/poet/functions/:name/executions', async (req: Request, res: Response) => {
    const q = parseOr400(ExecutionListQuerySchema, req.query, 'query');
    res.json(await service.listExecutions(checkKey(req.params.name), q.version, q.limit));
  });

  r.post('/poet/feedback', async (req: Request, res: Response) => {
    const body = parseOr400(FeedbackRequestSchema, req.body, 'feedback');
    const { record, learning } = await service.recordFeedback(body);
    const out: FeedbackResponse = { feedback_id: record.feedback_id, analysis: record.analysis, learning };
    res.status(201).json(out);
  });

  r.get('/poet/functions/:name/feedback', async (req: Request, res: Response) => {
    res.json(await service.feedbackSummary(checkKey(req.params.name)));
  });

  r.post('/poet/functions/:name/train', async (req: Request, res: Response) => {
    const key = checkKey(req.params.name);
    const body = parseOr400(TrainRequestSchema, req.body ?? {}, 'train request');
    res.json(await service.train(key, body));
  });

  r.get('/poet/functions/:name/metrics', async (req: Request, res: Response) => {
    res.json(await service.functionMetrics(checkKey(req.params.name)));
  });

  r.get('/poet/metrics', async (_req: Request, res: Response) => {
    const body: ServiceMetrics = { ...(await service.metrics.snapshot()), learning_memory: service.records.memory() };
    res.json(body);
  });

  // Prometheus text format; behind the token like every path except /health.
  r.get('/metrics', async (_req: Request, res: Response) => {
    const { contentType, body } = await service.metrics.prometheus();
    res.type(contentType).send(body);
  });

  r.get('/poet/learning/settings', async (_req: Request, res: Response) => {
    res.json(await service.getSettings());
  });

  r.put('/poet/learning/settings', async (req: Request, res: Response) => {
    const patch = parseOr400(LearningSettingsPatchSchema, req.body ?? {}, 'learning settings');
    res.json(await service.updateSettings(patch));
  });

  return { service, router: r };
}

/** The router the service mounts. */
export function learningRoutes(deps: LearningDeps, options?: LearningOptions): express.Router {
  return createLearning(deps, options).router;
}
