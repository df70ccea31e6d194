// What "Copy Service URL and Token" puts on the clipboard: one line to paste into the terminal
// that runs the user's code, setting exactly the variables generated code and the Python
// runtime read (POET_API_URL, POET_API_KEY). Pure, so every shell's quoting is unit-tested.

export type ShellKind = 'posix' | 'powershell' | 'cmd';

/** The kind of VS Code's default terminal shell (`vscode.env.shell`); POSIX unless it is PowerShell or cmd. */
export function shellKind(shellPath: string | undefined, platform: NodeJS.Platform = process.platform): ShellKind {
  const base = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (/^(pwsh|powershell)(\.exe)?$/.test(base)) return 'powershell';
  if (/^cmd(\.exe)?$/.test(base)) return 'cmd';
  if (!base && platform === 'win32') return 'powershell';
  return 'posix';
}

const POSIX_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

function posixQuote(v: string): string {
  return POSIX_SAFE.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

function powershellQuote(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** `export POET_API_URL=… POET_API_KEY=…` (or the PowerShell / cmd form); no key, no POET_API_KEY. */
export function serviceEnvLine(url: string, key: string | undefined, shell: ShellKind): string {
  const vars: Array<[string, string]> = [['POET_API_URL', url], ...(key ? [['POET_API_KEY', key] as [string, string]] : [])];
  switch (shell) {
    case 'posix':
      return `export ${vars.map(([k, v]) => `${k}=${posixQuote(v)}`).join(' ')}`;
    case 'powershell':
      return vars.map(([k, v]) => `$env:${k} = ${powershellQuote(v)}`).join('; ');
    case 'cmd':
      // cmd has no quoting for `set`; the whole assignment in quotes keeps & and | literal.
      return vars.map(([k, v]) => `set "${k}=${v}"`).join(' && ');
  }
}
