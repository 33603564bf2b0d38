import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const script = fileURLToPath(new URL('./token-refresh-child.ts', import.meta.url));

/** A running token-refresh-child.ts process and what it printed. */
export interface TokenChild {
  /** Resolves once it printed a line equal to `line` (rejects if it exits first). */
  printed(line: string): Promise<void>;
  /** Tells it to fire its calls. */
  go(): void;
  /** Resolves with its result line's JSON once it exits successfully. */
  result(): Promise<{ accessTokens: string[]; stats: { refreshes: number } }>;
  /** Kills it if still running. */
  kill(): void;
}

/** Starts token-refresh-child.ts from the sources with `env` over this process's environment. */
export function spawnTokenChild(env: Record<string, string>): TokenChild {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.dev.json', ...env },
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = () => stdout.split('\n');
  const failure = (code: number | null) =>
    new Error(`The child process exited with ${code}:\n${stdout}\n${stderr}`);

  return {
    printed: (line) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!lines().includes(line)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (!lines().includes(line)) reject(failure(code));
        });
      }),
    go: () => child.stdin?.write('go\n'),
    result: async () => {
      const code = await exited;
      const line = lines().find((each) => each.startsWith('result '));
      if (code !== 0 || line === undefined) throw failure(code);
      return JSON.parse(line.slice('result '.length));
    },
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
