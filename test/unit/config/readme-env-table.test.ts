// The README's environment-variable table must list exactly the variables lib/config.ts reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ZConfig } from '../../../lib/config';

it('README documents every configuration variable, and no other', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Against'));
  const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
  expect(documented).toEqual(Object.keys(ZConfig.shape).sort());
});
