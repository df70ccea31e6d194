// A store URL as logs and messages may show it: without its password. Its own module, since
// open.ts loads the PostgreSQL store, which needs this too.
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
