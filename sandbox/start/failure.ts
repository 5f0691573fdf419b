// A failed build or load as `file:line:col: message`, pointing at the TypeScript source a developer edits
// rather than at the bundle in cdk.out when the place can be found.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CodeLoadError } from '../appsync/runtime/module.ts';
import { SynthError } from './synth.ts';

interface EsbuildMessage { text: string; location: { file: string; line: number; column: number } | null }

/** The source file a bundle line comes from: esbuild heads each file's part with `// resolvers/x.ts`. */
function bundleSource(code: string, line: number): string | undefined {
  const lines = code.split('\n').slice(0, Math.max(line, 1));
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const match = /^\/\/ (resolvers\/\S+\.ts)$/.exec(lines[i] ?? '');
    if (match) return match[1];
  }
  return undefined;
}

/** esbuild reprints code (quotes, spacing): compare on a normalized form, keeping each character's original column. */
function normalized(text: string): { text: string; columns: number[] } {
  let out = '';
  const columns: number[] = [];
  for (const [column, char] of [...text].entries()) {
    const next = /\s/.test(char) ? ' ' : char === "'" ? '"' : char;
    if (next === ' ' && out.endsWith(' ')) continue;
    out += next;
    columns.push(column);
  }
  return { text: out, columns };
}

/** `resolvers/x.ts:line:col` for a bundle position, when the source holds the same text; else undefined. */
export function sourcePosition(root: string, bundle: string, line: number, column: number): string | undefined {
  const source = bundleSource(bundle, line);
  if (source === undefined || !existsSync(join(root, source))) return undefined;
  const fragment = normalized((bundle.split('\n')[line - 1] ?? '').slice(Math.max(column - 1, 0)).trim()).text.slice(0, 24);
  if (fragment === '') return source;
  const lines = readFileSync(join(root, source), 'utf8').split('\n');
  for (const [index, text] of lines.entries()) {
    const { text: flat, columns } = normalized(text);
    const at = flat.indexOf(fragment);
    if (at >= 0) return `${source}:${index + 1}:${(columns[at] ?? 0) + 1}`;
  }
  return source;
}

/** A failed rebuild or load as `file:line:col: message` lines. `codeOf` gives a bundle's code by its path. */
export function describeFailure(error: unknown, root: string, codeOf: (path: string) => string | undefined = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined)): string {
  if (error instanceof CodeLoadError) {
    const first = error.codeErrors[0];
    if (!first) return error.message;
    const bundle = `${relative(root, error.filename)}:${first.location.line}:${first.location.column}`;
    const source = sourcePosition(root, codeOf(error.filename) ?? '', first.location.line, first.location.column);
    return source === undefined
      ? `${bundle}: ${first.value}`
      : `${source}: ${first.value} (AppSync would refuse this code; bundle position ${bundle})`;
  }
  const cause = error instanceof SynthError ? error.cause : error;
  const messages = (cause as { errors?: EsbuildMessage[] } | null)?.errors;
  if (Array.isArray(messages) && messages.length > 0) {
    return messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text)).join('\n');
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').filter((l) => l.trim() !== '').slice(0, 8).join('\n');
}
