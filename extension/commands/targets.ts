// What the command handlers work on, once resolve.ts has worked out what a command was invoked on.
import type * as vscode from 'vscode';
import type { DocumentFunction } from '../../shared/lsp-protocol';
import type { FolderClient } from '../folder-clients';
import type { FolderRef } from '../tree/model';

export interface SourceFunction {
  doc: vscode.TextDocument;
  folder: FolderRef;
  /** Workspace-relative POSIX path. */
  relPath: string;
  fn: DocumentFunction;
}

export interface StoredTarget {
  h: FolderClient;
  key: string;
  name: string;
  version?: string;
  sourceFile?: string | null;
}
