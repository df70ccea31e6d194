import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { facts } from './harness';
import { openFixture, pidAlive, testApi, waitFor, type PoetTestApi } from './helpers';

describe('backend process', () => {
  let api: PoetTestApi;

  before(async () => {
    await openFixture('pricing.na');
    api = await testApi();
  });

  // The code-server runner checks, after VS Code has stopped, that this last pid has exited.
  after(() => {
    facts.backendPid = api?.backendPid();
  });

  it('starts one backend that serves HTTP on 127.0.0.1', async () => {
    await api.whenReady();
    const pid = api.backendPid();
    assert.ok(pid && pidAlive(pid), `backendPid() = ${pid} is not a live process`);
    const url = api.serviceUrl();
    assert.ok(url, 'serviceUrl() is empty after whenReady()');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+/);
    // Any HTTP answer proves the child's Express service is listening (auth may refuse us).
    const res = await fetch(`${url.replace(/\/$/, '')}/health`);
    assert.ok(res.status < 500, `GET /health answered ${res.status}`);
  });

  it('restarts the backend after it is killed, with a new pid', async () => {
    await api.whenReady();
    const before = api.backendPid()!;
    process.kill(before, 'SIGKILL');
    await waitFor('the killed backend to exit', () => !pidAlive(before), 10_000);
    const after = await waitFor('a new backend pid', () => {
      const p = api.backendPid();
      return p !== undefined && p !== before && pidAlive(p) ? p : undefined;
    }, 45_000);
    await api.whenReady();
    assert.ok(pidAlive(after));
    assert.ok(api.serviceUrl(), 'serviceUrl() is empty after the restart');
  });

  it('"POET: Restart Service" replaces the backend and leaves no old child behind', async () => {
    await api.whenReady();
    const before = api.backendPid()!;
    await vscode.commands.executeCommand('poet.restartService');
    const after = await waitFor('a new backend pid', () => {
      const p = api.backendPid();
      return p !== undefined && p !== before ? p : undefined;
    }, 45_000);
    await api.whenReady();
    await waitFor(`the old backend (pid ${before}) to exit`, () => !pidAlive(before), 10_000);
    assert.ok(pidAlive(after));
  });

  // The runner also checks the real thing: after VS Code stops, the last backend pid is gone.
  it('stopping the backend (what deactivate() does) leaves no child process', async () => {
    await api.whenReady();
    const pid = api.backendPid()!;
    await api.stopBackend();
    await waitFor(`backend pid ${pid} to exit`, () => !pidAlive(pid), 10_000);
    await api.restartBackend();
    await api.whenReady();
    assert.ok(pidAlive(api.backendPid()!));
  });
});
