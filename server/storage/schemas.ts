// Shapes both stores keep: a function's summary (`index.json`) and a cache entry.
import { z } from 'zod';
import { FunctionKeySchema, LanguageSchema, VersionMetadataSchema, VERSION_RE } from '../../shared/contract/api';

export const FunctionIndexSchema = z.object({
  name: z.string(),
  key: FunctionKeySchema,
  language: LanguageSchema,
  source_file: z.string().nullable(),
  domain: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Oldest first. */
  versions: z.array(z.string().regex(VERSION_RE)),
});
export type FunctionIndex = z.infer<typeof FunctionIndexSchema>;

export const CacheEntrySchema = z.object({
  source_hash: z.string(),
  key: z.string(),
  function_name: z.string(),
  version: z.string().regex(VERSION_RE),
  generator: z.object({ name: z.string(), version: z.string() }),
  created_at: z.string(),
  file_name: z.string(),
  code: z.string(),
  train_code: z.string().nullable(),
  metadata: VersionMetadataSchema,
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;
