import { ESLint } from 'eslint';
const eslint = new ESLint({ overrideConfig: { rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }] } } });
const results = await eslint.lintFiles([process.argv[2] ?? 'sandbox']);
for (const r of results) for (const m of r.messages) if (m.ruleId === 'max-lines-per-function') console.log(r.filePath.replace(process.cwd()+'/', '') + ':' + m.line, m.message.slice(0, 90));
