import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../src/dataset/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-ds-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadDataset errors', () => {
  it('says what is missing and how to make a dataset', () => {
    expect(() => loadDataset(join(dir, 'nope'))).toThrow(/is not a dataset directory \(no manifest\.json\); make one with 'tarl data generate'/);
  });
  it('names the manifest fields that are wrong', () => {
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ domain: 'retail' }));
    expect(() => loadDataset(dir)).toThrow(/manifest\.json: .*format/s);
  });
});
