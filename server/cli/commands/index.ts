// The command table. Adding a command: write commands/NAME.ts exporting a Command
// (see ../command.ts) and add it to this list; `poet help` picks it up.
import type { Command } from '../command';
import { check } from './check';
import { functions } from './functions';
import { serve } from './serve';
import { enhance } from './enhance';
import { build } from './build';
import { run } from './run';
import { sync } from './sync';

export const commands: readonly Command[] = [functions, check, serve, enhance, build, run, sync];
