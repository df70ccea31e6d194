// Link-safe reads and atomic writes inside a workspace's `.dana/poet/`: no symbolic link from
// `.dana` down is followed (links.ts), every write is atomic (atomic.ts), and a corrupt JSON
// file reads as missing (logged), never as a crash. The file store is built on this; the
// PostgreSQL store uses it for the local files it keeps (user domains).
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { PoetError } from '../../shared/contract/errors';
import { mkdirDurable, writeFolderAtomic, writeJsonAtomic } from './atomic';
import { readFileNoFollow, refuseLinks } from './links';
import { poetPaths, resolveInside, toWorkspaceRelative, type PoetPaths } from './paths';

export class WorkspaceFiles {
  readonly paths: PoetPaths;

  constructor(
    workspace: string,
    private readonly logger?: Logger,
  ) {
    this.paths = poetPaths(workspace);
  }

  /** Workspace-relative POSIX path of an absolute path. */
  relative(abs: string): string {
    return toWorkspaceRelative(this.paths, abs);
  }

  /** Throws 409 `symlink_refused` when `path` or a folder above it inside the workspace is a link. */
  checkLinks(path: string): string {
    refuseLinks(this.paths.workspace, path);
    return path;
  }

  /** mkdir -p (durable) of a folder inside `.dana/poet/`, refusing links on the way. */
  async mkdir(dir: string): Promise<void> {
    await mkdirDurable(this.checkLinks(dir));
  }

  /** Creates folder `dir` inside `.dana/poet/` holding `files`, whole or not at all (writeFolderAtomic). */
  async writeFolder(dir: string, files: ReadonlyArray<{ name: string; data: string }>): Promise<void> {
    // The folder itself is renamed into place: a link of its name would be replaced, not followed.
    await this.mkdir(dirname(resolveInside(this.paths.root, dir)));
    await writeFolderAtomic(dir, files);
  }

  /** Atomic JSON write to a path that must be inside `.dana/poet/`. */
  async writeJson(absPath: string, value: unknown): Promise<void> {
    await writeJsonAtomic(this.checkLinks(resolveInside(this.paths.root, absPath)), value);
  }

  /**
   * A file's text, or undefined when it does not exist; links refused. `checked` says the
   * folders above were checked already (by the caller, for a batch of files).
   * Synchronous: small files, read in microseconds (see atomic.ts).
   */
  readText(absPath: string, checked = false): string | undefined {
    if (!checked) this.checkLinks(dirname(absPath));
    try {
      return readFileNoFollow(this.paths.workspace, absPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  /**
   * Parsed JSON, or undefined when missing; a corrupt file is logged and reported as undefined.
   * Read synchronously (see readText); async so that callers need not change if that does.
   */
  async readJsonFile<T>(absPath: string, schema?: z.ZodType<T>, checked = false): Promise<T | undefined> {
    return this.parseJsonFile(absPath, schema, checked);
  }

  /** readJsonFile's work, for callers that read many files in a loop. */
  parseJsonFile<T>(absPath: string, schema?: z.ZodType<T>, checked = false): T | undefined {
    return this.readJsonSized(absPath, schema, checked)?.value;
  }

  /** parseJsonFile, with the size of the file's text (for callers that budget what they read). */
  readJsonSized<T>(absPath: string, schema?: z.ZodType<T>, checked = false): { value: T; chars: number } | undefined {
    let value: unknown;
    let chars: number;
    try {
      const text = this.readText(absPath, checked);
      if (text === undefined) return undefined;
      chars = text.length;
      value = JSON.parse(text);
    } catch (e) {
      if (e instanceof PoetError) throw e;
      this.logger?.warn({ file: this.relative(absPath), err: (e as Error).message }, 'unreadable JSON file ignored');
      return undefined;
    }
    if (!schema) return { value: value as T, chars };
    const p = schema.safeParse(value);
    if (!p.success) {
      this.logger?.warn({ file: this.relative(absPath), issues: p.error.issues.slice(0, 3) }, 'JSON file with unexpected shape ignored');
      return undefined;
    }
    return { value: p.data, chars };
  }
}
