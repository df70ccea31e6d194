// Wires the pipeline to the generator registry and the domain registry.
import type { Logger } from 'pino';
import { configContext } from '../generator/domains/index';
import { generatorFor } from '../generator/registry';
import type { PoetStore } from '../storage/store';
import { EnhancePipeline, type PipelineOptions } from './pipeline';

export function createPipeline(store: PoetStore, logger: Logger, overrides: Partial<PipelineOptions> = {}): EnhancePipeline {
  return new EnhancePipeline(store, logger, {
    generatorFor: overrides.generatorFor ?? generatorFor,
    configContext: overrides.configContext ?? configContext(store.paths.workspace),
  });
}
