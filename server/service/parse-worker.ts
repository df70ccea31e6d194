// The parser's worker thread (parser.ts): parses one text per message and posts the function
// model back. Big texts are parsed here so that the service's event loop stays free.
import { parentPort } from 'node:worker_threads';
import type { Language } from '../../shared/source/model';
import { parseSource } from '../../shared/source/parse';

parentPort!.on('message', ({ code, language }: { code: string; language: Language }) => {
  try {
    parentPort!.postMessage({ parsed: parseSource(code, language) });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error)?.stack ?? String(e) });
  }
});
