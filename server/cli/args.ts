// Argument parsing for commands: node:util parseArgs in strict mode, with its errors turned
// into one-line CliErrors (exit 2) that name the bad option and the command's valid ones.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestionSuffix } from '../../shared/util/suggest';
import { CliError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;
/** parseArgs's own result type, spelled out so the declaration can name it. */
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export function parseCommandArgs<O extends Options>(args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // Node's messages run over several lines and suggest `--` for positionals; keep the first line.
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg);
    if (unknown) {
      const names = Object.keys(options).map((k) => `--${k}`);
      const known = names.length > 0 ? ` Options: ${names.join(', ')}.` : ' This command takes no options.';
      throw new CliError(`unknown option '${unknown[1]}'.${suggestionSuffix(unknown[1]!, names)}${known}`);
    }
    throw new CliError(msg.split('\n')[0]!.replace(/\.$/, '') + '.');
  }
}
