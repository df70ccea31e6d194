// "Copy Service URL and Token": the copied line must set what generated code reads, in the
// user's shell. Each form is run by the real shell where this machine has it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'mocha';
import { serviceEnvLine, shellKind } from '../../extension/commands/envLine';

describe('Copy Service URL and Token: the environment line', () => {
  it('sets POET_API_URL and POET_API_KEY, the names generated code and the runtime read', () => {
    assert.equal(serviceEnvLine('http://127.0.0.1:40123', 'tok_EN-123', 'posix'), 'export POET_API_URL=http://127.0.0.1:40123 POET_API_KEY=tok_EN-123');
    assert.equal(serviceEnvLine('http://127.0.0.1:40123', 'tok', 'powershell'), "$env:POET_API_URL = 'http://127.0.0.1:40123'; $env:POET_API_KEY = 'tok'");
    assert.equal(serviceEnvLine('http://127.0.0.1:40123', 'tok', 'cmd'), 'set "POET_API_URL=http://127.0.0.1:40123" && set "POET_API_KEY=tok"');
    assert.equal(serviceEnvLine('https://poet.example.com', undefined, 'posix'), 'export POET_API_URL=https://poet.example.com');
  });

  it('quotes what a shell would otherwise split or expand', () => {
    assert.equal(serviceEnvLine('https://h/x?a=1&b=2', "it's $HOME", 'posix'), "export POET_API_URL='https://h/x?a=1&b=2' POET_API_KEY='it'\\''s $HOME'");
    assert.equal(serviceEnvLine('https://h', "it's", 'powershell'), "$env:POET_API_URL = 'https://h'; $env:POET_API_KEY = 'it''s'");
  });

  it('is read back unchanged by a real POSIX shell', () => {
    const url = 'https://h/x?a=1&b=2';
    const key = "a'b $HOME `x` \\ c";
    const r = spawnSync('sh', ['-c', `${serviceEnvLine(url, key, 'posix')}\nprintf '%s\\n%s' "$POET_API_URL" "$POET_API_KEY"`], { encoding: 'utf8', env: {} });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${url}\n${key}`);
  });

  it('picks the form from VS Code\'s default terminal shell', () => {
    assert.equal(shellKind('/bin/bash', 'linux'), 'posix');
    assert.equal(shellKind('/usr/bin/fish', 'darwin'), 'posix');
    assert.equal(shellKind('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(shellKind('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'powershell');
    assert.equal(shellKind('C:\\WINDOWS\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(shellKind('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(shellKind('', 'win32'), 'powershell');
    assert.equal(shellKind(undefined, 'linux'), 'posix');
  });
});
