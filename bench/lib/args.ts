/**
 * The options a benchmark was run with (`npm run bench:x -- --rounds=5 --no-bullmq`): `--name=value`, or `--name`
 * alone for true. Parsed once here for every script; a value may itself hold `=` (a path, a URL).
 */
export const args: Readonly<Record<string, string | undefined>> = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [name, ...value] = a.replace(/^--/, '').split('=');
  return [name, value.length > 0 ? value.join('=') : 'true'];
}));

/** An option's text, or the fallback when it was not given. */
export function arg(name: string, fallback: string): string {
  return args[name] ?? fallback;
}
