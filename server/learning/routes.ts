// HTTP routes of the learning loop. Thin: validate with the shared contract, call the
// LearningService, answer. Mounted by server/service/routes/index.ts.
import express, { type Request, type Response } from 'express';
import {
  ExecutionListQuerySchema,
  ExecutionRequestSchema,
  FeedbackRequestSchema,
  LearningSettingsPatchSchema,
  RecordIdSchema,
  TrainRequestSchema,
  type ExecutionResponse,
  type FeedbackResponse,
  type ServiceMetrics,
} from '../../shared/contract/learning';
import type { ServiceDeps } from '../service/deps';
import { parseOr400 } from '../service/validate';
import { checkKey } from '../storage/paths';
import { LearningService, type LearningOptions } from './service';

export function createLearning(deps: ServiceDeps, options?: LearningOptions): { service: LearningService; router: express.Router } {
  const service = new LearningService(deps, options);
  const r = express.Router();

  r.post('/poet/executions', async (req: Request, res: Response) => {
    const body = parseOr400(ExecutionRequestSchema, req.body, 'execution record');
    const rec = await service.recordExecution(body);
    const out: ExecutionResponse = { execution_id: rec.context.execution_id };
    res.status(201).json(out);
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
export function learningRoutes(deps: ServiceDeps, options?: LearningOptions): express.Router {
  return createLearning(deps, options).router;
}
