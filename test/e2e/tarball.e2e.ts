/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end suite: packs the package and reads what n8n wrote */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

import { readFixture, startSimulator } from '../../dev/simulator';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	PROJECT_ROOT,
	scratchN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';
import { exampleSettings, loadExample, prepareExample } from '../../dev/n8n-cli/workflow-files';

const execFileAsync = promisify(execFile);

function filesUnder(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}

/**
 * What the tarball must hold, derived from the sources: each node or credential `.ts` compiled
 * to `dist/….js`, the codex `.json` files and the icons copied beside them, and npm's own
 * package.json, README, LICENSE and `main` (index.js). Nothing else.
 */
function expectedFiles(): string[] {
	const built = ['nodes', 'credentials'].flatMap((folder) =>
		filesUnder(join(PROJECT_ROOT, folder))
			.map((file) => relative(PROJECT_ROOT, file).split('\\').join('/'))
			.flatMap((source) => {
				if (source.endsWith('.d.ts')) return [];
				if (source.endsWith('.ts')) return [`dist/${source.replace(/\.ts$/, '.js')}`];
				if (/\.(json|png|svg)$/.test(source)) return [`dist/${source}`];
				return [];
			}),
	);
	return [...built, 'LICENSE.md', 'README.md', 'index.js', 'package.json'].sort();
}

describe('The tarball ships what runs', () => {
	let shipped: string[];

	beforeAll(async () => {
		// The suite builds first (npm run test:e2e); the build also clears stale files from dist/.
		const { stdout } = await execFileAsync('npm', ['pack', '--dry-run', '--json'], {
			cwd: PROJECT_ROOT,
			maxBuffer: 16 * 1024 * 1024,
		});
		const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
		shipped = pack.files.map((file) => file.path).sort();
	});

	it('has no source maps and no dist/package.json', () => {
		expect(shipped.filter((path) => path.endsWith('.map'))).toEqual([]);
		expect(shipped).not.toContain('dist/package.json');
	});

	it('holds exactly the built JavaScript, the codex JSON, the icons and the package files', () => {
		expect(shipped).toEqual(expectedFiles());
	});

	it("holds every node and credential package.json's n8n block names", () => {
		const { n8n } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[]; credentials: string[] };
		};
		for (const path of [...n8n.nodes, ...n8n.credentials]) expect(shipped).toContain(path);
	});
});

describe("An example as imported, in an n8n with n8n's default file access", () => {
	it('writes the video under ~/.n8n-files through the shipped relative output folder', async () => {
		const example = loadExample('prompt-to-video');
		expect(exampleSettings(example).outputFolder).toBe('.n8n-files');

		const paths = n8nPaths();
		const packed = await packPackage();
		// n8n's defaults: N8N_RESTRICT_FILE_ACCESS_TO unset (2.x then allows ~/.n8n-files only),
		// the user folder in the home folder, and n8n started in the home folder (the scratch
		// user folder is both here; n8n's Docker image runs in /home/node).
		const instance = scratchN8n(paths, { N8N_RESTRICT_FILE_ACCESS_TO: undefined });
		const home = instance.userFolder;
		instance.env.HOME = home;
		// n8n does not create ~/.n8n-files: the user does, once (README, "Where the example workflows write their videos").
		mkdirSync(join(home, '.n8n-files'));
		await installPackage(instance, packed.tarball);
		const sim = await startSimulator();
		try {
			await importCredentials(instance, [
				{
					id: 'cometapi-veo-credential',
					name: 'CometAPI Veo account',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
			]);
			const workflow = prepareExample(example, {
				id: 'e2edefaultfiles',
				imageBaseUrl: `${sim.videoHostUrl}/images`,
			});
			await importWorkflow(instance, workflow);
			const run = await executeWorkflow(instance, workflow.id);
			expect(run.exitCode).toBe(0);
			expect(run.result?.data.resultData.error).toBeUndefined();
			const { runData } = run.result!.data.resultData;
			const id = String(runData['Create Video'][0].data!.main[0][0].json.id);
			const [item] = runData['Write Video to Disk'][0].data!.main[0];
			expect(item.json.fileName).toBe(`.n8n-files/${id}.mp4`);
			expect(
				readFileSync(join(home, '.n8n-files', `${id}.mp4`)).equals(readFixture('sampleVideo')),
			).toBe(true);
		} finally {
			await sim.close();
		}
	});
});
