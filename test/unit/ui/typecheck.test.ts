// The browser scripts are type-checked (// @ts-check + JSDoc, tsconfig.ui.json) against the DOM
// and the API's response types inferred from its zod schemas (ui/types/api.d.ts). Run here so
// `npm test` (CI) fails on a type error in ui/assets; `npm run typecheck` runs the same config.
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const CONFIG = path.join(ROOT, 'tsconfig.ui.json');

function diagnostics(extra?: { file: string; text: string }): string[] {
  const read = ts.readConfigFile(CONFIG, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  const host = ts.createCompilerHost(parsed.options);
  if (extra) {
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => f === extra.file || fileExists(f);
    host.readFile = (f) => (f === extra.file ? extra.text : readFile(f));
    host.getSourceFile = (f, lang, ...rest) => (f === extra.file ? ts.createSourceFile(f, extra.text, lang) : getSourceFile(f, lang, ...rest));
  }
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...(extra ? [extra.file] : [])], options: parsed.options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(ROOT, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('UI scripts type-check', () => {
  it('every script under ui/assets is checked and has no type errors', () => {
    const read = ts.readConfigFile(CONFIG, ts.sys.readFile);
    const files = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT).fileNames.map((f) => path.relative(ROOT, f));
    expect(files).toEqual(expect.arrayContaining(['ui/assets/pages/installation.js', 'ui/assets/mattermost-post.js', 'ui/assets/dom.js']));
    expect(diagnostics()).toEqual([]);
  }, 60_000);

  it('catches a page reading a field the API does not send', () => {
    const file = path.join(ROOT, 'ui/assets/pages/__probe__.js');
    const text = "// @ts-check\n/** @param {import('../../types/api').Execution} run */\nexport const f = (run) => run.not_a_field;\n";
    expect(diagnostics({ file, text }).join('\n')).toMatch(/Property 'not_a_field' does not exist on type/);
  }, 60_000);
});
