// The domain registry as the editor sees it, per workspace folder: built-in domains plus the
// folder's own `.dana/poet/domains/*.json`. The same ConfigContext the service's pipeline
// validates with, so the editor and the service agree on what is valid.
import type { ConfigContext, DomainConfigInfo } from '../../shared/config';
import type { LiteralValue } from '../../shared/source/model';
import { domainConfigContext, getDomain } from '../generator/domains/index';

/** What completion shows about a domain and its keys. */
export interface DomainDocs {
  description: string;
  params: Record<string, { description: string; default: LiteralValue }>;
}

/** A ConfigContext that can also describe its domains. */
export interface EditorDomainContext extends ConfigContext {
  docs(name: string): DomainDocs | undefined;
}

/**
 * A user domain file that does not validate makes the registry throw; in the editor that
 * domain is simply unknown (the service reports the file's problem when it is used).
 */
export function editorDomainContext(workspace: string | undefined): EditorDomainContext {
  const inner = domainConfigContext(workspace);
  // Memoised for the context's life: DomainContexts drops the context when `.dana/poet/domains`
  // changes, and every decorator of a file asks for the same few domains.
  const seen = new Map<string, DomainConfigInfo | undefined>();
  let names: string[] | undefined;
  return {
    domain(name: string): DomainConfigInfo | undefined {
      if (!seen.has(name)) {
        try {
          seen.set(name, inner.domain(name));
        } catch {
          seen.set(name, undefined);
        }
      }
      return seen.get(name);
    },
    domainNames: () => (names ??= inner.domainNames()),
    docs(name: string): DomainDocs | undefined {
      try {
        const d = getDomain(name, workspace);
        if (!d) return undefined;
        const params = Object.fromEntries(Object.entries(d.params).map(([k, p]) => [k, { description: p.description, default: p.default }]));
        return { description: d.description, params };
      } catch {
        return undefined;
      }
    },
  };
}

export class DomainContexts {
  private readonly cache = new Map<string | undefined, EditorDomainContext>();

  /** The context for a folder (undefined: a file outside every folder → built-in domains only). */
  get(workspace: string | undefined): EditorDomainContext {
    let ctx = this.cache.get(workspace);
    if (!ctx) {
      ctx = editorDomainContext(workspace);
      this.cache.set(workspace, ctx);
    }
    return ctx;
  }

  /** User-defined domains live under `.dana/poet/`: a change there may change them. */
  invalidate(workspace: string): void {
    this.cache.delete(workspace);
  }
}
