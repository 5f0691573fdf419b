// The playground's HTML shell: the config as inert JSON, the bundle's stylesheet and module script.
import { CONFIG_ELEMENT_ID, type PlaygroundConfig } from './config.ts';

/** JSON safe inside a <script> element: no `</script>` or `<!--` can close or comment it. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function playgroundHtml(config: PlaygroundConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AppSync chat playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground/app.css">
<script id="${CONFIG_ELEMENT_ID}" type="application/json">${scriptJson(config)}</script>
<script type="module" src="/playground/app.js"></script>
</head>
<body></body>
</html>
`;
}
