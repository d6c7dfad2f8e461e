// better-sqlite3 ships no types; the binary's shim needs only its constructor.
declare module 'better-sqlite3' {
  const Database: new (file: string, options?: Record<string, unknown>) => unknown;
  export default Database;
}
