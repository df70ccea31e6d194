import { Router } from 'express';
import {
  CoreEndpoints,
  SetCurrentRequestSchema,
  type FunctionDetailResponse,
  type SetCurrentResponse,
  type VersionDetailResponse,
  type VersionSummary,
} from '../../../shared/contract/api';
import { PoetError } from '../../../shared/contract/errors';
import { checkKey, checkVersion } from '../../storage/paths';
import type { ServiceDeps } from '../deps';
import { parseOr400 } from '../../validate';
import { on } from './on';

function unknownFunction(key: string): PoetError {
  return new PoetError('not_found', `No enhanced function "${key}". Transpile it first (POST /poet/transpile); GET /poet/functions lists what exists.`, { key });
}

export function functionRoutes(deps: ServiceDeps): Router {
  const { store } = deps;
  const r = Router();

  on(r, CoreEndpoints.functions, async (_req, res) => {
    res.json(await store.listFunctions());
  });

  on(r, CoreEndpoints.function, async (req, res) => {
    const key = checkKey(req.params.name);
    const d = await store.describe(key);
    if (!d) throw unknownFunction(key);
    const versions: VersionSummary[] = [];
    for (const v of await store.listVersions(key)) {
      const m = await store.readMetadata(key, v);
      if (!m) continue;
      versions.push({
        version: v,
        created_at: m.created_at,
        source_hash: m.source_hash,
        config: m.config,
        reason: m.reason,
        ...(m.reason_detail ? { reason_detail: m.reason_detail } : {}),
        parent_version: m.parent_version,
        files: m.files,
      });
    }
    const body: FunctionDetailResponse = {
      name: d.index.name,
      key,
      current_version: d.current,
      language: d.index.language,
      source_file: d.index.source_file,
      domain: d.index.domain,
      versions,
    };
    res.json(body);
  });

  on(r, CoreEndpoints.version, async (req, res) => {
    const key = checkKey(req.params.name);
    const version = checkVersion(req.params.version);
    const v = await store.readVersion(key, version);
    if (!v) {
      if (!(await store.exists(key))) throw unknownFunction(key);
      throw new PoetError('not_found', `Function "${key}" has no version ${version}.`, { key, version, versions: await store.listVersions(key) });
    }
    const body: VersionDetailResponse = v;
    res.json(body);
  });

  on(r, CoreEndpoints.current, async (req, res) => {
    const key = checkKey(req.params.name);
    const { version } = parseOr400(SetCurrentRequestSchema, req.body, 'set-current request');
    const body = await deps.locks.withFunctionLock(key, async (): Promise<SetCurrentResponse> => {
      const d = await store.describe(key);
      if (!d) throw unknownFunction(key);
      await store.writeCurrent(key, version);
      return { name: d.index.name, key, current_version: version, previous_version: d.current };
    });
    req.log.info({ key, version, previous: body.previous_version }, 'current version set');
    res.json(body);
  });
  return r;
}
