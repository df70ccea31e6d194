import type { ErrorAction } from './client/errors';

/** A problem the user can fix: shown as it is, with the buttons that help. */
export class UserError extends Error {
  constructor(message: string, readonly actions: ErrorAction[] = []) {
    super(message);
    this.name = 'UserError';
  }
}
