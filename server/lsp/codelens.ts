// CodeLenses above functions: `POET: Enhance` where nothing is stored yet, else the current
// version and what is known about it (`POET v3 · 92% ✓ · 👎 2`). When the source no longer
// matches the current version, the lens says which way out is true: enhance it, or, when the
// current version was pinned back and a newer one matches this source, make that one current
// (enhancing would only find the newer one and leave the pin, so that lens never cleared).
import type { CodeLens } from 'vscode-languageserver/node';
import { Commands } from '../../shared/ids';
import type { CodeLensMode } from '../../shared/settings';
import { functionTextHash } from '../../shared/source/hash';
import { poetDecorator, qualifiedName } from '../../shared/source/locate';
import type { FunctionModel } from '../../shared/source/model';
import { toLspRange, type ParsedDocument } from './documents';
import { metricsParts, type FunctionMetricsSummary } from './status';
import { matchStoredFunction, type EnhancedOnDisk } from './storage-index';

export interface LensContext {
  mode: CodeLensMode;
  /** Enhanced functions of the document's folder. */
  stored: readonly EnhancedOnDisk[];
  /** The document's workspace-relative POSIX path; undefined outside any folder. */
  sourceFile: string | undefined;
  folderUri: string | undefined;
  metrics: (key: string, version: string) => Promise<FunctionMetricsSummary | undefined>;
  /** Another stored version generated from text with this hash (see StorageIndex.matchingVersion). */
  matchingVersion: (stored: EnhancedOnDisk, hash: string) => Promise<string | undefined>;
}

/** Functions that get a lens in this mode. Declarative defs cannot be decorated or enhanced. */
export function lensFunctions(functions: readonly FunctionModel[], mode: CodeLensMode): FunctionModel[] {
  if (mode === 'off') return [];
  return functions.filter((fn) => fn.kind !== 'declarative' && (mode === 'all' || poetDecorator(fn) !== undefined));
}

/** True when the stored version was generated from other text than the function has now. */
export function isStale(fn: FunctionModel, stored: EnhancedOnDisk): boolean {
  const recorded = stored.metadata?.function_hash;
  return recorded !== undefined && recorded !== functionTextHash(fn.source);
}

export async function codeLenses(pd: ParsedDocument, ctx: LensContext): Promise<CodeLens[]> {
  const uri = pd.doc.uri;
  return Promise.all(
    lensFunctions(pd.parsed.functions, ctx.mode).map(async (fn): Promise<CodeLens> => {
      const start = toLspRange(pd.doc, fn.range).start;
      const range = { start, end: start };
      const name = qualifiedName(fn);
      const enhance = { title: 'POET: Enhance', command: Commands.enhanceFunction, arguments: [uri, name] };
      const stored = matchStoredFunction(ctx.stored, fn.name, ctx.sourceFile);
      if (!stored) return { range, command: enhance };
      const target = (version: string) => ({ folderUri: ctx.folderUri, key: stored.key, functionName: stored.functionName, version });
      const newest = stored.versions[stored.versions.length - 1];
      const pinned = newest !== undefined && newest !== stored.version;
      const metrics = metricsParts(await ctx.metrics(stored.key, stored.version));
      if (isStale(fn, stored)) {
        const hash = functionTextHash(fn.source);
        const match = pinned ? await ctx.matchingVersion(stored, hash) : undefined;
        if (match) {
          return {
            range,
            command: {
              title: `POET ${stored.version} pinned · ${match} matches this source — Make current`,
              tooltip: `${stored.version} is the current version (set by hand); ${match} was generated from the text this function has now. Click to make ${match} current.`,
              command: Commands.setCurrentVersion,
              arguments: [target(match)],
            },
          };
        }
        return { range, command: { ...enhance, title: `${[`POET ${stored.version}`, ...metrics].join(' · ')} · source changed: Enhance` } };
      }
      return {
        range,
        command: {
          title: [`POET ${stored.version}${pinned ? ' pinned' : ''}`, ...metrics].join(' · '),
          ...(pinned ? { tooltip: `${stored.version} is the current version (set by hand); the newest is ${newest}.` } : {}),
          command: Commands.openEnhanced,
          arguments: [target(stored.version)],
        },
      };
    }),
  );
}
