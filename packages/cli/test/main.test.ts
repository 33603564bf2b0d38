import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, USAGE } from '../src/main.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('prism', () => {
  it.each([['--version'], ['-v']])('prints the package version for %s', async (flag) => {
    expect(await run(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([['--help'], ['-h'], ['help'], ['review', '--help']])(
    'prints the usage for %s',
    async (...argv) => {
      const result = await run(...argv);
      expect(result).toEqual({ code: 0, stdout: USAGE, stderr: '' });
      expect(result.stdout).toMatch(/^ {2}review /m);
      expect(result.stdout).toMatch(/^ {2}serve /m);
    },
  );

  it.each([
    [['frobnicate'], "prism: unknown command 'frobnicate'"],
    [['--frobnicate'], "prism: unknown option '--frobnicate'"],
    [['-x', 'review'], "prism: unknown option '-x'"],
    [['--version=2'], "prism: option '--version' takes no value"],
    [[], 'prism: missing command'],
  ])('exits 2 with one error line and the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n\n${USAGE}`);
  });

  it.each(['review', 'serve'])('says %s is not available yet and exits 1', async (command) => {
    const { code, stdout, stderr } = await run(command, 'contract.docx');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`prism: '${command}' is not available yet in this version (${version}).\n`);
  });
});
