// The Dana interpreter `poet run` starts: $POET_DANA, else `dana` on PATH.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface Interpreter {
  command: string;
  /** Where it came from, for messages. */
  from: 'POET_DANA' | 'PATH';
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class NoInterpreterError extends Error {}

export function findInterpreter(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Interpreter {
  const given = env.POET_DANA;
  if (given) {
    const path = isAbsolute(given) ? given : resolve(cwd, given);
    if (!executable(path)) {
      throw new NoInterpreterError(`POET_DANA is ${given}, which is not an executable file. Point it at the Dana interpreter (the \`dana\` command), or unset it to use \`dana\` from PATH.`);
    }
    return { command: path, from: 'POET_DANA' };
  }
  const names = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => `dana${e.toLowerCase()}`) : ['dana'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const n of names) if (executable(join(dir, n))) return { command: join(dir, n), from: 'PATH' };
  }
  throw new NoInterpreterError(
    'no Dana interpreter found: POET_DANA is not set and `dana` is not on PATH. Install Dana (`pip install dana`; it needs Python 3.12 or later) or set POET_DANA to the interpreter\'s path (in VS Code: the setting poet.dana.path).',
  );
}
