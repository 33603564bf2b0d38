import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REVIEW_USAGE } from '../src/commands/review.js';
import { SERVE_USAGE } from '../src/commands/serve.js';
import { USAGE } from '../src/main.js';
import { runCli } from './run-cli.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('prism', () => {
  it.each([['--version'], ['-v']])('prints the package version for %s', async (flag) => {
    expect(await runCli(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([['--help'], ['-h'], ['help']])('prints the usage for %s', async (...argv) => {
    const result = await runCli(...argv);
    expect(result).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect(result.stdout).toMatch(/^ {2}review /m);
    expect(result.stdout).toMatch(/^ {2}serve /m);
  });

  it.each([
    [['frobnicate'], "prism: unknown command 'frobnicate'"],
    [['--frobnicate'], "prism: unknown option '--frobnicate'"],
    [['-x', 'review'], "prism: unknown option '-x'"],
    [['--version=2'], "prism: option '--version' takes no value"],
    [[], 'prism: missing command'],
  ])('exits 2 with one error line and the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${message}\n\n${USAGE}`);
  });

  it.each([
    ['review', '--help'],
    ['help', 'review'],
  ])('prints the review usage for %s %s', async (...argv) => {
    expect(await runCli(...argv)).toEqual({ code: 0, stdout: REVIEW_USAGE, stderr: '' });
  });

  it('prints the serve usage, and stops on a wrong setting with one line naming it', async () => {
    expect(await runCli('serve', '--help')).toEqual({ code: 0, stdout: SERVE_USAGE, stderr: '' });
    const { code, stdout, stderr } = await runCli('serve', '--port', 'eighty');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^prism: serve: Invalid setting PORT: .+ \[invalid_config\]\n {2}hint: /,
    );
  });
});
