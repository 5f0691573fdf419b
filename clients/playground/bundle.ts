// The playground's browser code, bundled by esbuild in memory on first use (no CDN, nothing written to disk).
import { join } from 'node:path';

export interface PlaygroundBundle {
  js: string;
  css: string;
  ms: number;
}

const ENTRY = join(import.meta.dirname, 'app.ts');

export async function bundlePlayground(): Promise<PlaygroundBundle> {
  const started = performance.now();
  // Loaded on first use: a sandbox whose page is never opened never loads esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // React's production build; amazon-cognito-identity-js's dependencies read Node's `global`.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
  });
  const file = (ext: string): string => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: file('.js'), css: file('.css'), ms: Math.round(performance.now() - started) };
}
