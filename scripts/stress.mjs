// npm run test:stress: the reliability and alert suites (test/reliability, test/alerts) on a busy
// machine, three times in a row, while CPU-burning processes keep every core busy (two per core).
// Any failure stops the run non-zero. The suites' promises must not depend on the machine's
// speed; this is how CI checks that they do not.
//
//   npm run test:stress                  three rounds
//   npm run test:stress -- --rounds 1    one round (the burners as always)
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SUITES = ['test/reliability', 'test/alerts'];

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Math.max(1, Number(process.argv[roundsArg + 1]) || 3) : 3;
const cores =
	typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

const burners = Array.from({ length: cores * 2 }, () =>
	spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
);
let stopped = false;
function stopBurners() {
	if (stopped) return;
	stopped = true;
	for (const burner of burners) burner.kill('SIGKILL');
}
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		stopBurners();
		process.exit(130);
	});
}

// Two jest workers, not jest's default of one on two cores: the suites mostly wait on backoff, so
// two files side by side halve a round (351 tests: 199 s, was about 350 s) and load the machine more.
function jest() {
	return new Promise((resolve) => {
		const child = spawn(
			process.execPath,
			[path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=2', ...SUITES],
			{ cwd: ROOT, stdio: 'inherit', env: { ...process.env, N8N_LOG_LEVEL: 'silent' } },
		);
		child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

const started = Date.now();
console.log(
	`test:stress: ${SUITES.join(' and ')}, ${rounds} round(s), ${burners.length} CPU burners on ${cores} core(s)`,
);
for (let round = 1; round <= rounds; round++) {
	console.log(`\n=== stress round ${round} of ${rounds} (load ${os.loadavg()[0].toFixed(1)})`);
	const code = await jest();
	if (code !== 0) {
		console.error(`\ntest:stress: round ${round} failed (exit ${code})`);
		stopBurners();
		process.exit(1);
	}
}
stopBurners();
console.log(
	`\ntest:stress: ${rounds} round(s) passed in ${Math.round((Date.now() - started) / 1000)} s`,
);
