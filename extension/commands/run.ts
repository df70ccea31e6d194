// POET: Run File with Enhancements. Runs `poet run FILE.na` (the bundled CLI) as a task in the
// integrated terminal: a real terminal for the program, its output kept after it ends, and the
// arguments passed as they are (no shell quoting). The interpreter is the setting poet.dana.path,
// else what the CLI finds ($POET_DANA, `dana` on PATH); executions go to this folder's service.
import * as vscode from 'vscode';
import { Commands, REMOTE_API_KEY_SECRET } from '../../shared/ids';
import type { PoetContext } from '../context';
import { UserError } from '../user-error';
import type { CommandTable } from './table';

/** The task type (package.json `taskDefinitions`). */
export const RUN_TASK_TYPE = 'poet-run';

export interface RunResult {
  file: string;
  /** The CLI's exit status: the program's, or 1/2 when it could not be built or started. */
  exitCode: number | undefined;
}

export function runCommands(services: PoetContext): CommandTable {
  /** URL and token of the folder's service, for the program's execution records; none when it does not run. */
  async function reportingEnv(folder: vscode.WorkspaceFolder): Promise<Record<string, string>> {
    try {
      const h = await services.handle({ uri: folder.uri.toString(), name: folder.name, path: folder.uri.fsPath });
      const url = h.remote ? services.settings().serviceUrl : services.backend.service(folder.uri.toString())?.url;
      const token = h.remote ? await services.context.secrets.get(REMOTE_API_KEY_SECRET) : services.backend.serviceToken;
      return url ? { POET_API_URL: url, ...(token ? { POET_API_KEY: token } : {}) } : {};
    } catch (err) {
      services.log.warn(`Running without execution records: the POET service is not available (${(err as Error).message}).`);
      return {};
    }
  }

  return {
    [Commands.runFile]: async (...args): Promise<RunResult | undefined> => {
      services.assertTrusted();
      const uri = args[0] instanceof vscode.Uri ? args[0] : vscode.window.activeTextEditor?.document.uri;
      if (!uri || !uri.path.endsWith('.na')) throw new UserError('Open a Dana (.na) file, then run it with its enhanced functions.');
      if (uri.scheme !== 'file') throw new UserError(`${uri.toString()} is not a file on disk; POET runs Dana files from a workspace folder.`);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) throw new UserError(`${vscode.workspace.asRelativePath(uri)} is not inside a workspace folder: POET keeps its versions in the folder's .dana/poet/.`);
      // The program runs from disk: unsaved edits would not be in it.
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc?.isDirty) await doc.save();

      const env: Record<string, string> = {
        // The extension host's executable runs dist/cli.js as Node (VS Code's own Electron, or Node in code-server).
        ELECTRON_RUN_AS_NODE: '1',
        ...(await reportingEnv(folder)),
      };
      const danaPath = services.settings().danaPath;
      if (danaPath) env.POET_DANA = danaPath;
      const cli = services.context.asAbsolutePath('dist/cli.js');
      const rel = vscode.workspace.asRelativePath(uri, false);
      const task = new vscode.Task(
        { type: RUN_TASK_TYPE, file: rel },
        folder,
        `run ${rel}`,
        'POET',
        new vscode.ProcessExecution(process.execPath, [cli, 'run', uri.fsPath, '--workspace', folder.uri.fsPath], { cwd: folder.uri.fsPath, env }),
        [],
      );
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: true, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false };
      // Listening before the task starts: a short program can end before executeTask resolves.
      const ended: vscode.TaskProcessEndEvent[] = [];
      let notify: (() => void) | undefined;
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        ended.push(e);
        notify?.();
      });
      try {
        const execution = await vscode.tasks.executeTask(task);
        services.log.info(`Running ${rel} with its enhanced functions (interpreter: ${danaPath || '$POET_DANA or dana on PATH'}).`);
        const mine = () => ended.find((e) => e.execution === execution);
        while (!mine()) await new Promise<void>((r) => (notify = r));
        return { file: rel, exitCode: mine()!.exitCode };
      } finally {
        sub.dispose();
      }
    },
  };
}
