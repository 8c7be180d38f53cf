import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ruleCatalog } from '../../src/sql/catalog.ts';
import { rulesMarkdown } from '../../src/sql/rules-doc.ts';

describe('docs/rules.md', () => {
  it('is the generated catalog (regenerate: node src/sql/rules-doc.ts > docs/rules.md)', async () => {
    const committed = await readFile(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(committed).toBe(rulesMarkdown());
  });

  it('documents every rule with why and suggestion', () => {
    const markdown = rulesMarkdown();
    for (const rule of ruleCatalog) {
      expect(markdown).toContain(`### ${rule.code}`);
      expect(markdown).toContain(rule.why);
      expect(markdown).toContain(rule.suggestion);
    }
  });
});
