// The platform's browser code (ui/assets, ui/pages) names no package: a package's own screens are
// its UI section and pages in packages/<slug>/ui/ (the installation page hands over to the section
// its manifest names). Neither a package's slug or folder nor the word "digest" may appear in the
// core's UI; what still does is listed here with the reason, and nothing else may.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (d.name === 'vendor' ? [] : files(`${dir}/${d.name}`)) : /\.(js|html|css)$/.test(d.name) ? [`${dir}/${d.name}`] : [],
  );
}

describe('core UI', () => {
  it('names no package', () => {
    const slugs = readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(slugs.length).toBeGreaterThan(0);
    const names = new RegExp(`${slugs.join('|')}|\\bdigests?\\b`, 'i');
    const stillNaming: Record<string, string> = {
      'ui/assets/dom.js': "the signal labels name every catalogued signal type, the digest's too (as lib/signals/catalogue.ts does)",
      'ui/assets/pages/package.js':
        'a package’s example post is GET /api/packages/:slug/example-digest (PackageModule.examplePost); its card keeps the id #example-digest',
    };
    const core = [...files('ui/assets'), ...files('ui/pages')];
    expect(core).toEqual(
      expect.arrayContaining(['ui/assets/pages/installation.js', 'ui/assets/installation/generic-section.js', 'ui/pages/installation.html']),
    );
    const naming = core.filter((file) => names.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(naming.filter((file) => !(file in stillNaming))).toEqual([]);
    // An exception that no longer names one goes from the list.
    expect(Object.keys(stillNaming).filter((file) => !naming.includes(file))).toEqual([]);
  });
});
