import pkg from '../../package.json';

/** The service's version, from package.json (bundled by esbuild). */
export const SERVICE_VERSION: string = pkg.version;
