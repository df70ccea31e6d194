// One entry point for "give me the function model of this text", whatever the language.
// The LSP, the extension, the service and the CLI all parse through here.
import { parseDana } from '../dana/index';
import { parsePython } from '../python/index';
import { languageOfPath, type Language, type ParsedFile } from './model';

export function parseSource(text: string, language: Language): ParsedFile {
  return language === 'python' ? parsePython(text) : parseDana(text);
}

/** Parses by file name (`.na` or `.py`); null for any other extension. */
export function parseFile(path: string, text: string): ParsedFile | null {
  const language = languageOfPath(path);
  return language ? parseSource(text, language) : null;
}
