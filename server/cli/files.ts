// Reading a source file named on the command line, with one-line errors a person can act on.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { languageOfPath, type Language } from '../../shared/source/model';
import { CliError } from './command';

export interface SourceFile {
  path: string;
  language: Language;
  text: string;
}

export async function readSourceFile(path: string): Promise<SourceFile> {
  const language = languageOfPath(path);
  if (!language) {
    const ext = extname(path);
    const what = ext ? `unknown file type '${ext}'` : 'no file extension';
    throw new CliError(`${path}: ${what}; expected a Dana (.na) or Python (.py) file`);
  }
  try {
    return { path, language, text: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'is a directory, not a file'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : (e as Error).message;
    throw new CliError(`${path}: cannot read: ${why}`);
  }
}
