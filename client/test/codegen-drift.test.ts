// @vitest-environment node
// The committed client/src/__generated__/graphql.ts must be exactly what codegen.ts makes from schema.graphql.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('codegen', () => {
  it('the committed generated types match schema.graphql and the client operations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ww-codegen-'));
    try {
      const out = join(dir, 'graphql.ts');
      execFileSync(process.execPath, [join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts', '--silent'], {
        cwd: root,
        env: { ...process.env, CODEGEN_OUT: out },
        stdio: 'pipe',
      });
      const committed = readFileSync(join(root, 'client/src/__generated__/graphql.ts'), 'utf8');
      const fresh = readFileSync(out, 'utf8');
      expect(
        fresh === committed,
        'client/src/__generated__/graphql.ts is stale: run `npm run codegen` at the repository root and commit it',
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
