// `poet run FILE.na`: runs a Dana program with the current version of every enhanced function it
// defines or imports from the workspace, and reports their executions to the workspace's service.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter } from 'node:path';
import { CliError, type Command } from '../command';
import { findInterpreter, NoInterpreterError } from '../run/interpreter';
import { LineStream, OutputMapper } from '../run/output';
import { prepare } from '../run/prepare';
import { findService } from '../run/service';

const USAGE = 'Usage: poet run FILE.na [--workspace DIR] [--enhance] [-- ARGS...]';

export const run: Command = {
  name: 'run',
  summary: 'run a Dana program with its enhanced functions (executions go to the workspace\'s POET service)',
  usage: [
    USAGE,
    '',
    'Builds the program as `poet build` does and runs the composed copy with the Dana interpreter:',
    '$POET_DANA, else `dana` on PATH. ARGS after -- go to the program (Dana takes key=value).',
    'The interpreter runs in the current directory, with .dana/poet/runtime/dana added to DANAPATH.',
    'Paths and line numbers in its messages are mapped back to your files.',
    '',
    'Executions of enhanced functions are reported to POET_API_URL with POET_API_KEY. When they are',
    'not set and a POET service runs for the workspace (VS Code, or `poet serve`), poet run sets',
    'both from the service file that service wrote (see docs/cli.md).',
    '',
    'Options:',
    '  --workspace DIR   the folder that holds .dana/poet/ (default: the current directory)',
    '  --enhance         first enhance every @poet function without a version generated from its',
    '                    current text (otherwise such a function runs as its original, with a warning)',
    '',
    "Exit status: the program's; 1 when a file has syntax errors; 2 bad usage or no interpreter.",
  ].join('\n'),
  async run(args) {
    let interpreter;
    try {
      interpreter = findInterpreter();
    } catch (e) {
      if (e instanceof NoInterpreterError) throw new CliError(e.message);
      throw e;
    }
    const { build, workspace, programArgs, display } = await prepare('run', args, USAGE);

    const env: NodeJS.ProcessEnv = { ...process.env };
    env.DANAPATH = [...(process.env.DANAPATH ?? '').split(delimiter).filter(Boolean), build.runtimeDir].join(delimiter);
    // Dana is Python: unbuffered, its output reaches the terminal as it is printed, not at exit.
    env.PYTHONUNBUFFERED ??= '1';
    const enhanced = build.modules.flatMap((m) => m.enhanced);
    let reporting: string;
    if (process.env.POET_API_URL) {
      reporting = `executions go to ${process.env.POET_API_URL} (POET_API_URL)`;
    } else {
      const service = await findService(workspace);
      if (service) {
        env.POET_API_URL = service.url;
        env.POET_API_KEY = service.token;
        reporting = `executions go to the POET service at ${service.url}`;
      } else {
        reporting = `executions are not recorded: no POET service runs for ${display(workspace)} (start one with \`poet serve --workspace ${display(workspace)}\`, or open the folder in VS Code)`;
      }
    }
    process.stderr.write(
      enhanced.length ? `poet run: ${display(build.entry.source)} with ${enhanced.join(', ')} enhanced; ${reporting}\n` : `poet run: ${display(build.entry.source)}: no function runs enhanced\n`,
    );

    const child = spawn(interpreter.command, [build.entry.built, ...programArgs], {
      env,
      stdio: ['inherit', 'pipe', 'pipe'],
      // A .cmd or .bat interpreter (Windows) runs through the shell.
      shell: process.platform === 'win32' && /\.(cmd|bat)$/i.test(interpreter.command),
    });
    const mapper = new OutputMapper(build.modules, display);
    const out = new LineStream((t) => process.stdout.write(t), (l) => mapper.map(l, 'stdout'));
    const err = new LineStream((t) => process.stderr.write(t), (l) => mapper.map(l, 'stderr'));
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));

    // Ctrl+C in a terminal reaches the interpreter directly (same process group); otherwise pass it on.
    const forward = (signal: NodeJS.Signals) => () => {
      if (signal !== 'SIGINT' || !process.stdin.isTTY) child.kill(signal);
    };
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    try {
      return await new Promise<number>((done, fail) => {
        child.on('error', (e: NodeJS.ErrnoException) => fail(new CliError(`cannot start ${interpreter.command} (${interpreter.from}): ${e.message}`)));
        child.on('close', (code, signal) => {
          out.end();
          err.end();
          done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
        });
      });
    } finally {
      for (const [s, h] of handlers) process.off(s, h);
    }
  },
};
