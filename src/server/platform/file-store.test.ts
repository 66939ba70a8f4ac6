import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { diskFileStore } from './file-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const tempStore = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-file-store-'));
  dirs.push(dir);
  return { dir, store: diskFileStore(path.join(dir, 'files')) };
};
const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('the disk file store', () => {
  it('writes, reads and deletes by key, privately, and says "no such file" after a delete', async () => {
    const { dir, store } = tempStore();
    await store.put('a1', Buffer.from('first'));
    await store.put('a1', Buffer.from('second version'));
    const got = await store.get('a1');
    expect(got?.size).toBe(14);
    expect((await read(got?.stream as Readable)).toString()).toBe('second version');
    expect(fs.statSync(path.join(dir, 'files', 'a1')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'files'))).toEqual(['a1']); // no temporary file left
    await store.delete('a1');
    await store.delete('a1'); // a missing file is not an error
    expect(await store.get('a1')).toBeUndefined();
  });

  it('serves a file removed after it was looked up: the stream already holds it', async () => {
    // Before, the stream opened the file lazily: a delete in between made it emit ENOENT with
    // nobody listening, which crashed the process.
    const { store } = tempStore();
    await store.put('b2', Buffer.from('still readable'));
    const got = await store.get('b2');
    await store.delete('b2');
    expect((await read(got?.stream as Readable)).toString()).toBe('still readable');
  });

  it('refuses keys that could name a path outside the store', async () => {
    const { store } = tempStore();
    for (const key of ['../x', '.hidden', 'a/b', '']) {
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid file store key/);
    }
  });
});
