// The shape of one `poet` subcommand, and the error type commands throw for bad input.
// A command is a file in ./commands exporting a Command, listed in ./commands/index.ts.

export interface Command {
  /** The word after `poet`, e.g. `functions`. */
  name: string;
  /** One line for `poet help`. */
  summary: string;
  /** Full usage text for `poet help NAME` and `poet NAME --help`: synopsis, options, exit codes. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

/** Exit statuses every command shares. */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem (syntax errors, a failed enhancement). */
  failed: 1,
  /** The command could not run: unknown command or option, missing or unreadable file. */
  usage: 2,
} as const;

/** Bad input to the CLI itself; main prints `poet NAME: message` on one line and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
