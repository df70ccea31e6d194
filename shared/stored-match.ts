// Which stored (enhanced) function a function in a source file is. Two files may define the
// same name: the second is stored under a module-qualified key (`billing.compute`), so a
// function matches the stored one recorded from its own file, or one recorded without a file
// (code sent over HTTP). The CodeLens (language server) and the commands (extension) both ask
// here, so they cannot disagree about a name defined in two files.

/** What a stored function is known by: its key, its function name, the file it came from. */
export interface StoredIdentity {
  key: string;
  name: string;
  /** Workspace-relative POSIX path; null when the code came without a file. */
  sourceFile: string | null;
}

/**
 * The entry of `list` for the function `name` in `sourceFile` (workspace-relative POSIX), or
 * undefined. Without a source file (a document outside the workspace): the one keyed by the
 * bare name, else one recorded without a file, else the only one of that name.
 */
export function matchStored<T>(list: readonly T[], identity: (t: T) => StoredIdentity, name: string, sourceFile: string | undefined): T | undefined {
  const same = list.filter((t) => identity(t).name === name);
  const recordedWithoutFile = () => same.find((t) => identity(t).sourceFile === null);
  if (sourceFile !== undefined) return same.find((t) => identity(t).sourceFile === sourceFile) ?? recordedWithoutFile();
  return same.find((t) => identity(t).key === name) ?? recordedWithoutFile() ?? (same.length === 1 ? same[0] : undefined);
}
