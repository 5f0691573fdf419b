/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The example's entry, bundled by esbuild (examples/react/server.ts): read amplify_outputs.json, configure Amplify's
// Auth from it, and render the app.
import './style.css';
import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.ts';
import { configureAuth } from './auth.ts';
import type { ExampleOutputs } from './server.ts';

const root = createRoot(document.getElementById('root') ?? document.body);
try {
  const response = await fetch('/amplify_outputs.json');
  if (!response.ok) throw new Error(await response.text());
  const { graphqlUrl } = configureAuth(await response.json() as ExampleOutputs);
  root.render(h(StrictMode, {}, h(App, { graphqlUrl })));
} catch (error) {
  root.render(h('p', { role: 'alert', className: 'error' }, `Cannot read amplify_outputs.json: ${error instanceof Error ? error.message : String(error)}`));
}
