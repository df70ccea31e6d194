import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { resolveTarget } from '../../extension/commands/args';
import {
  executionNodes,
  fileNodes,
  folderNode,
  functionDescription,
  functionIcon,
  functionNodes,
  snapshotOf,
  versionDescription,
  versionNodes,
} from '../../extension/tree/model';
import { Commands, TreeContext } from '../../shared/ids';
import { folder, metricsFor, summaries, withdrawDetail } from './fixtures';

describe('extension tree model', () => {
  it('describes a function by its current version, with metrics once it has executions', () => {
    const withdraw = summaries[0]!;
    assert.equal(functionDescription(withdraw), 'v3');
    assert.equal(functionDescription(withdraw, metricsFor('v3', [['v3', 0, 0]])), 'v3');
    assert.equal(functionDescription(withdraw, metricsFor('v3', [['v3', 12, 11]])), 'v3 · 12 runs · 92% ✓');
    assert.equal(functionDescription(withdraw, metricsFor('v3', [['v3', 1, 1]])), 'v3 · 1 run · 100% ✓');
    // Metrics of an older version do not describe the current one.
    assert.equal(functionDescription(withdraw, metricsFor('v3', [['v2', 40, 40]])), 'v3');
    assert.equal(functionDescription({ current_version: null, versions: [] }), 'not enhanced');
  });

  it('picks the status icon from the current version\'s success rate', () => {
    const withdraw = summaries[0]!;
    assert.equal(functionIcon(withdraw).id, 'symbol-function');
    assert.equal(functionIcon(withdraw, metricsFor('v3', [['v3', 100, 99]])).id, 'pass-filled');
    assert.equal(functionIcon(withdraw, metricsFor('v3', [['v3', 100, 85]])).id, 'warning');
    assert.equal(functionIcon(withdraw, metricsFor('v3', [['v3', 100, 10]])).id, 'error');
    assert.equal(functionIcon({ current_version: null }).id, 'circle-outline');
  });

  it('sorts functions by name then key and gives each a stable id and contextValue', () => {
    const nodes = functionNodes(folder, summaries);
    assert.deepEqual(nodes.map((n) => n.label), ['area', 'area', 'withdraw']);
    assert.deepEqual(nodes.map((n) => n.key), ['area', 'shapes.area', 'withdraw']);
    assert.deepEqual(nodes.map((n) => n.id), ['fn:file:///work/ws#area', 'fn:file:///work/ws#shapes.area', 'fn:file:///work/ws#withdraw']);
    for (const n of nodes) {
      assert.equal(n.contextValue, TreeContext.function);
      assert.equal(n.collapsible, 'collapsed');
    }
    assert.match(nodes[1]!.tooltip!, /key shapes\.area/);
    assert.equal(nodes[2]!.sourceFile, 'bank/account.na');
  });

  it('lists versions newest first, marks the current one and says when and why', () => {
    const nodes = versionNodes(folder, withdrawDetail);
    assert.deepEqual(nodes.map((n) => n.label), ['v3', 'v2', 'v1']);
    assert.deepEqual(nodes.map((n) => n.contextValue), [TreeContext.version, TreeContext.currentVersion, TreeContext.version]);
    assert.equal(nodes[0]!.description, '2026-11-23 03:15 · config changed');
    assert.equal(nodes[1]!.description, 'current · 2026-11-22 02:15 · source changed');
    assert.equal(nodes[2]!.description, '2026-11-21 01:15 · initial');
    assert.equal(nodes[1]!.current, true);
    assert.equal(nodes[0]!.id, 'ver:file:///work/ws#withdraw@v3');
    assert.match(nodes[0]!.tooltip!, /Parent: v2/);
  });

  it('shows version dates in local time when given the offset', () => {
    // getTimezoneOffset() is minutes *behind* UTC: -120 for UTC+2.
    assert.equal(versionDescription({ created_at: '2026-11-26T23:30:00Z', reason: 'trained' }, -120), '2026-11-27 01:30 · trained');
    assert.equal(versionDescription({ created_at: 'yesterday', reason: 'manual' }), 'yesterday · manual');
  });

  it('adds a version\'s metrics to its description', () => {
    const nodes = versionNodes(folder, withdrawDetail, metricsFor('v2', [['v2', 4, 2]]));
    assert.equal(nodes[1]!.description, 'current · 2026-11-22 02:15 · source changed · 4 runs · 50% ✓');
    assert.equal(nodes[0]!.description, '2026-11-23 03:15 · config changed');
  });

  it('lists a version\'s files, each opening itself (read-only, at the function) on click', () => {
    const v = withdrawDetail.versions[0]!;
    const nodes = fileNodes(folder, withdrawDetail, v);
    assert.deepEqual(nodes.map((n) => n.label), ['enhanced.na', 'metadata.json']);
    assert.deepEqual(nodes.map((n) => n.icon?.id), ['file-code', 'json']);
    assert.equal(nodes[0]!.contextValue, TreeContext.file);
    assert.deepEqual(nodes[0]!.command, {
      command: Commands.openStoredFile,
      title: 'Open',
      arguments: [{ folderUri: folder.uri, filePath: '.dana/poet/functions/withdraw/v1/enhanced.na', functionName: 'withdraw' }],
    });
  });

  it('snapshots a node with the data a command needs, without its click command', () => {
    const fn = functionNodes(folder, summaries)[2]!;
    const snap = snapshotOf(fn, []);
    assert.equal(snap.label, 'withdraw');
    assert.deepEqual(resolveTarget([snap]), resolveTarget([fn]));
    const file = fileNodes(folder, withdrawDetail, withdrawDetail.versions[0]!)[0]!;
    assert.ok(!('command' in snapshotOf(file, [])));
  });

  it('makes a folder node for multi-root workspaces', () => {
    const n = folderNode(folder);
    assert.equal(n.contextValue, TreeContext.folder);
    assert.equal(n.collapsible, 'expanded');
    assert.equal(n.label, 'ws');
  });
});

describe('extension tree model: executions', () => {
  it('lists a version\'s recorded runs with status, duration, attempts and feedback', () => {
    const runs = [
      { execution_id: 'e2', version: 'v2', started_at: '2026-11-26T14:31:07.250Z', status: 'error' as const, duration_ms: 30012, attempts: 3, error: 'TimeoutError', inputs_preview: '{"x":1}', output_preview: null, feedback_count: 0 },
      { execution_id: 'e1', version: 'v2', started_at: '2026-11-26T14:30:00.000Z', status: 'success' as const, duration_ms: 120.4, attempts: 1, inputs_preview: '{"x":2}', output_preview: '4', feedback_count: 2 },
    ];
    const nodes = executionNodes(folder, withdrawDetail, 'v2', runs);
    assert.deepEqual(nodes.map((n) => n.label), ['✗ 2026-11-26 14:31:07', '✓ 2026-11-26 14:30:00']);
    assert.deepEqual(nodes.map((n) => n.description), ['30.0 s · 3 attempts', '120 ms · 1 attempt · 2 feedback']);
    assert.equal(nodes[0]!.contextValue, TreeContext.execution);
    assert.match(nodes[0]!.tooltip!, /Error: TimeoutError/);
    assert.equal(nodes[1]!.executionId, 'e1');
    // Give Feedback on an execution node resolves to its function and version.
    assert.deepEqual(resolveTarget([nodes[1]]), { kind: 'stored', folderUri: folder.uri, key: 'withdraw', functionName: 'withdraw', version: 'v2' });
  });
});
