// Versions are integers in the database and `v3` in the API.
import { checkVersion } from '../paths';

export const versionInt = (v: string) => Number(checkVersion(v).slice(1));
export const versionName = (n: number) => `v${n}`;
