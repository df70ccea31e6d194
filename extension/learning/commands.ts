// The learning commands: Give Feedback (on a version's execution), Train Now, Show Metrics.
// Spread into the extension's command table (extension/commands/table.ts). Each accepts an
// optional second argument that skips the pickers, so tests and other commands can drive it:
//   poet.giveFeedback(target, { executionId?, feedback })
//   poet.trainNow(target, { promote?: 'auto' | 'manual' })
import * as vscode from 'vscode';
import {
  type FeedbackResponse,
  type Promote,
  type TrainResponse,
} from '../../shared/contract/learning';
import { Commands } from '../../shared/ids';
import { storedFunction } from '../commands/resolve';
import type { StoredTarget } from '../commands/targets';
import type { CommandTable } from '../commands/table';
import type { PoetContext } from '../context';
import { UserError } from '../user-error';
import {
  executionPickItem,
  FEEDBACK_CHOICES,
  feedbackMessage,
  feedbackPayload,
  RATING_CHOICES,
  changeSummary,
  trainMessage,
  trainReport,
  validateFeedbackText,
} from './feedback-flow';
import { MetricsPanels } from './metrics-view';
import { poetColumn } from '../editor/showStored';
import { lazy } from '../lazy/load';

// The contract's schemas load with zod, on first use: this module is part of activation's bundle.
const endpoints = () => lazy().learningContract.LearningEndpoints;

interface FeedbackOptions {
  executionId?: string;
  feedback?: unknown;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** An execution id carried by the target (an execution node in the tree), if any. */
function executionIdOf(a: unknown): string | undefined {
  return isObj(a) && typeof a.executionId === 'string' ? a.executionId : undefined;
}

async function versionOf(s: StoredTarget): Promise<string> {
  if (s.version) return s.version;
  const d = await s.h.client.getFunction(s.key);
  const v = d.current_version ?? d.versions[d.versions.length - 1]?.version;
  if (!v) throw new UserError(`${s.name} has no versions yet. Enhance it first.`);
  return v;
}

async function pickExecution(s: StoredTarget, version: string): Promise<string | undefined> {
  const list = await s.h.client.send(endpoints().functionExecutions, { name: s.key }, undefined, { query: { version, limit: '30' } });
  if (!list.executions.length) {
    throw new UserError(
      `${s.name} ${version} has no recorded executions yet. Feedback attaches to one run: call the enhanced function with POET_API_URL and POET_API_KEY set (see "Copy Service URL and Token"), then give feedback.`,
    );
  }
  const tz = new Date().getTimezoneOffset();
  const items = list.executions.map((e) => ({ ...executionPickItem(e, tz), id: e.execution_id }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Give Feedback: which run of ${s.name} ${version}? (${list.total} recorded, newest first)`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.id;
}

async function askFeedback(): Promise<unknown | undefined> {
  const choice = await vscode.window.showQuickPick(
    FEEDBACK_CHOICES.map((c) => ({ ...c })),
    { title: 'Give Feedback: how was this result?' },
  );
  if (!choice) return undefined;
  if (choice.id === 'rate') {
    const r = await vscode.window.showQuickPick(RATING_CHOICES.map((x) => ({ label: x.label, rating: x.rating })), { title: 'Rate the result (1 = poor, 5 = excellent)' });
    return r ? feedbackPayload('rate', r.rating) : undefined;
  }
  if (choice.id === 'text') {
    const text = await vscode.window.showInputBox({
      title: 'Give Feedback',
      prompt: 'What was good or wrong about this result?',
      placeHolder: 'e.g. "too slow", "wrong total for an empty cart", "perfect"',
      validateInput: validateFeedbackText,
    });
    return text === undefined ? undefined : feedbackPayload('text', text);
  }
  return feedbackPayload(choice.id);
}

export function learningCommands(services: PoetContext): CommandTable {
  const panels = new MetricsPanels(services);
  services.context.subscriptions.push(panels);
  services.metricsView = panels;

  async function showTrainResult(s: StoredTarget, r: TrainResponse): Promise<void> {
    const msg = trainMessage(r);
    services.log.info(`Train ${s.key}: ${r.status}: ${r.message}`);
    for (const c of r.changes) services.log.info(`  ${c.reason}`);
    if (r.status !== 'trained') {
      void services.info(msg);
      return;
    }
    const buttons = ['Show Changes', ...(r.promoted ? [] : ['Make Current']), 'Compare with Previous'];
    void services.info(msg, ...buttons).then(async (b) => {
      const target = { folderUri: s.h.folder.uri, key: s.key, functionName: s.name, version: r.new_version ?? undefined };
      if (b === 'Show Changes') {
        const doc = await vscode.workspace.openTextDocument({ content: trainReport(r), language: 'markdown' });
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: poetColumn() });
      } else if (b === 'Make Current') {
        await vscode.commands.executeCommand(Commands.setCurrentVersion, target);
      } else if (b === 'Compare with Previous') {
        await vscode.commands.executeCommand(Commands.compareWithPrevious, target);
      }
    });
  }

  return {
    [Commands.giveFeedback]: async (...args: unknown[]): Promise<FeedbackResponse | undefined> => {
      const opts = (isObj(args[1]) ? args[1] : {}) as FeedbackOptions;
      const s = await storedFunction(services, args.slice(0, 1), 'Give Feedback');
      if (!s) return undefined;
      const executionId = opts.executionId ?? executionIdOf(args[0]) ?? (await pickExecution(s, await versionOf(s)));
      if (!executionId) return undefined;
      const feedback = opts.feedback !== undefined ? opts.feedback : await askFeedback();
      if (feedback === undefined) return undefined;
      const r = await s.h.client.send(endpoints().postFeedback, {}, { execution_id: executionId, function_name: s.key, feedback }, { long: true });
      services.log.info(`Feedback on ${s.key} ${executionId}: ${JSON.stringify(feedback)} → ${r.analysis.sentiment} (${r.analysis.method})`);
      void services.info(feedbackMessage(r));
      services.refresh();
      panels.refresh(s.h.folder.uri, s.key);
      return r;
    },

    [Commands.trainNow]: async (...args: unknown[]): Promise<TrainResponse | undefined> => {
      const opts = isObj(args[1]) ? args[1] : {};
      const s = await storedFunction(services, args.slice(0, 1), 'Train Now');
      if (!s) return undefined;
      const train = (title: string, body: { promote?: Promote; dry_run?: boolean }) =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return s.h.client.send(endpoints().train, { name: s.key }, body, { long: true, signal: ac.signal });
        });
      let promote = opts.promote as Promote | undefined;
      if (promote !== 'auto' && promote !== 'manual') {
        // Ask how to promote only once there is something to promote: a dry run says whether
        // the recorded data suffices and what would change.
        const preview = await train(`POET: checking what ${s.name} can learn…`, { dry_run: true });
        if (preview.status !== 'dry_run') {
          await showTrainResult(s, preview);
          return preview;
        }
        const pick = await vscode.window.showQuickPick(
          [
            { label: 'Train and make the new version current', description: 'promote: auto', promote: 'auto' as const },
            { label: 'Train, review before making it current', description: 'promote: manual', promote: 'manual' as const },
          ],
          { title: `Train ${s.name} ${preview.base_version}: ${changeSummary(preview)}` },
        );
        if (!pick) return undefined;
        promote = pick.promote;
      }
      const r = await train(`POET: training ${s.name}…`, { promote });
      await showTrainResult(s, r);
      services.refresh();
      panels.refresh(s.h.folder.uri, s.key);
      return r;
    },

    [Commands.showMetrics]: async (...args: unknown[]): Promise<void> => {
      const s = await storedFunction(services, args.slice(0, 1), 'Show Metrics');
      if (!s) return undefined;
      await panels.show(s);
    },
  };
}
