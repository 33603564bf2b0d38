import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** A `prism` process started from the sources, and what it printed. */
export interface SpawnedPrism {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const spawned: ChildProcess[] = [];

/**
 * Starts `prism <args>` from the sources with `env` over this process's environment. tsx is
 * loaded into the one Node process (not its CLI, which runs the program in a child process), so
 * a signal, SIGKILL included, reaches Prism itself.
 */
export function spawnPrism(args: string[], env: Record<string, string>): SpawnedPrism {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], {
    cwd: root,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: 'tsconfig.dev.json',
      PRISM_LOG_LEVEL: 'warn',
      ...env,
    },
  });
  spawned.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Kills every process {@link spawnPrism} started that is still running. */
export function killSpawned(): void {
  for (const child of spawned) if (child.exitCode === null) child.kill('SIGKILL');
}

/** Waits until the process printed a line matching `pattern`, and returns the match. */
export async function printed(prism: SpawnedPrism, pattern: RegExp): Promise<RegExpExecArray> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    const match = pattern.exec(prism.stdout());
    if (match) return match;
    if (prism.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`prism did not print ${pattern}:\n${prism.stdout()}\n${prism.stderr()}`);
}
