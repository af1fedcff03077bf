/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- end-to-end suite: drives the real n8n editor in Chromium */
/**
 * The real n8n editor (the pinned n8n, package installed from its tarball as a community
 * package) in Debian's Chromium, driven by playwright-core: what a user sees and clicks.
 * Screenshots go to out/editor/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import type { CometApiSimulator } from '../../dev/simulator';
import { startSimulator } from '../../dev/simulator';
import type { N8nInstance, N8nOwner } from '../../dev/n8n-cli/n8n-cli';
import {
	chromiumPath,
	freePort,
	installPackage,
	n8nPaths,
	PROJECT_ROOT,
	restCall,
	scratchN8n,
	scratchOwner,
	setupOwner,
	startN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';
import { loadExample, prepareExample } from '../../dev/n8n-cli/workflow-files';

const SHOTS = join(PROJECT_ROOT, 'out', 'editor');
const NODE_NAME = 'CometAPI Veo';
const CODEX = join('dist', 'nodes', 'CometApiVeo', 'CometApiVeo.node.json');
/** Every wait on the page is bounded by this, so a missing element fails the test, never hangs it. */
const UI_TIMEOUT = 20_000;

interface Problem {
	kind: string;
	text: string;
	url: string;
}

/** The DOM shapes read in the page (the test compiles without the DOM library). */
interface InputLike {
	type: string;
	checked: boolean;
	value: string;
}
interface ImageLike {
	complete: boolean;
	naturalWidth: number;
	getAttribute(name: string): string | null;
}

/** Anything on the page that names the package: its type, its display name, its npm name, its icon. */
const MENTIONS_PACKAGE = /cometapi|cometApiVeo/i;

const isLoopback = (url: URL) =>
	url.hostname === '127.0.0.1' ||
	url.hostname === 'localhost' ||
	url.protocol === 'data:' ||
	url.protocol === 'blob:';

/** Polls `read` until `done` holds or the time is up; returns the last value (the test asserts on it). */
async function until<T>(
	read: () => Promise<T>,
	done: (value: T) => boolean,
	timeoutMs = UI_TIMEOUT,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!done(value) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		value = await read();
	}
	return value;
}

describe('In the real n8n editor (Chromium): the package installed as a community package', () => {
	let sim: CometApiSimulator;
	let instance: N8nInstance;
	let server: ReturnType<typeof startN8n> | undefined;
	let owner: N8nOwner;
	let cookie: string;
	let browser: Browser | undefined;
	let context: BrowserContext;
	let page: Page;
	let unpacked: string;
	const problems: Problem[] = [];
	const blocked: string[] = [];

	const shot = async (name: string) => await page.screenshot({ path: join(SHOTS, `${name}.png`) });
	const creator = () => page.getByTestId('node-creator');
	const ndv = () => page.getByTestId('ndv');
	const parameter = (name: string) => ndv().getByTestId(`parameter-input-${name}`);
	/** What a parameter shows: its inputs' values (a switch as 'true'/'false'). */
	const shown = async (name: string): Promise<string[]> =>
		await parameter(name)
			.locator('input, textarea')
			.evaluateAll((elements) =>
				(elements as unknown as InputLike[]).map((input) =>
					input.type === 'checkbox' ? String(input.checked) : input.value,
				),
			);
	const nodeItem = (scope: Locator) =>
		scope.getByTestId('item-iterator-item').filter({
			has: page.getByTestId('node-creator-item-name').getByText(NODE_NAME, { exact: true }),
		});
	const choose = async (name: string, option: string) => {
		await parameter(name).click();
		// An option's accessible name is its label, then its description, if any.
		const item = page.getByRole('option', { name: new RegExp(`^${option}`) });
		await item.click();
		await item.waitFor({ state: 'hidden' });
		// The list fades out: wait for its leave transition to end, so screenshots show the fields.
		await until(
			async () => await page.locator('[class*="-leave-active"]').count(),
			(count) => count === 0,
			5_000,
		);
	};

	/** A failing step leaves a screenshot of what the page showed. */
	async function step(name: string, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			await page?.screenshot({ path: join(SHOTS, `FAILED-${name}.png`) }).catch(() => undefined);
			throw error;
		}
	}

	beforeAll(async () => {
		const executablePath = chromiumPath();
		const paths = n8nPaths();
		rmSync(SHOTS, { recursive: true, force: true });
		mkdirSync(SHOTS, { recursive: true });
		const packed = await packPackage();
		unpacked = packed.unpacked;
		instance = scratchN8n(paths);
		await installPackage(instance, packed.tarball);
		sim = await startSimulator();
		server = startN8n(paths, instance, await freePort(), {
			logFile: join(instance.userFolder, 'n8n.log'),
		});
		owner = scratchOwner();
		cookie = await setupOwner(server.baseUrl, owner);

		selectors.setTestIdAttribute('data-test-id');
		browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
		context = await browser.newContext({
			baseURL: server.baseUrl,
			viewport: { width: 1440, height: 900 },
		});
		context.setDefaultTimeout(UI_TIMEOUT);
		context.setDefaultNavigationTimeout(60_000);
		// Everything the test starts listens on 127.0.0.1: the editor's calls elsewhere (the npm
		// registry for the package's details) are refused here, and their errors are not the package's.
		await context.route(
			(url) => !isLoopback(url),
			async (route) => {
				blocked.push(route.request().url());
				await route.abort('blockedbyclient');
			},
		);
		context.on('console', (message) => {
			if (message.type() === 'error' || message.type() === 'warning') {
				problems.push({
					kind: `console.${message.type()}`,
					text: message.text(),
					url: message.location().url,
				});
			}
		});
		context.on('weberror', (error) =>
			problems.push({
				kind: 'pageerror',
				text: String(error.error()),
				url: error.page()?.url() ?? '',
			}),
		);
		page = await context.newPage();

		await page.goto('/signin');
		await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
		await page.getByTestId('password').locator('input').fill(owner.password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL(/\/home\/|\/workflow/);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await sim?.close();
	});

	it('the tarball carries the codex of this source tree (dist is not stale)', () => {
		expect(JSON.parse(readFileSync(join(unpacked, CODEX), 'utf8'))).toEqual(
			JSON.parse(
				readFileSync(join(PROJECT_ROOT, 'nodes', 'CometApiVeo', 'CometApiVeo.node.json'), 'utf8'),
			),
		);
	});

	it('the nodes panel finds "CometAPI Veo", with its icon, for "CometAPI", "Veo" and "video"', async () => {
		await step('search', async () => {
			await page.goto('/workflow/new');
			await page.getByTestId('canvas-add-button').click();
			const search = page.getByTestId('node-creator-search-bar');
			for (const term of ['CometAPI', 'Veo', 'video']) {
				await search.fill(term);
				const item = nodeItem(creator());
				// On a broken codex the panel answers "No results": this wait then fails.
				await item.waitFor({ timeout: 10_000 });
				// The item also holds a hidden copy for dragging: the visible icon is the one shown.
				const icon = item.locator('img[src*="cometApiVeo"]').filter({ visible: true });
				await icon.waitFor();
				await until(
					async () =>
						await icon.evaluate(
							(img) =>
								(img as unknown as ImageLike).complete &&
								(img as unknown as ImageLike).naturalWidth > 0,
						),
					(loaded) => loaded,
				);
				expect(
					await icon.evaluate((element) => {
						const img = element as unknown as ImageLike;
						return { loaded: img.complete && img.naturalWidth > 0, src: img.getAttribute('src') };
					}),
				).toEqual({
					loaded: true,
					src: '/icons/n8n-nodes-cometapi-veo/dist/nodes/CometApiVeo/cometApiVeo.svg',
				});
				expect(await item.getByTestId('node-creator-item-description').innerText()).toBe(
					'Generate videos with Google Veo through CometAPI',
				);
				expect(await creator().getByTestId('node-creator-no-results').count()).toBe(0);
				await item.scrollIntoViewIfNeeded();
				await shot(`nodes-panel-search-${term}`);
			}
		});
	});

	it("adding it shows Create's fields with their defaults", async () => {
		await step('add-node', async () => {
			// The search left from the previous test: "video".
			await nodeItem(creator()).click();
			await creator().getByText('Create a video', { exact: true }).click();
			await ndv().waitFor();
			await parameter('prompt').waitFor();
			expect(await shown('resource')).toEqual(['Video']);
			expect(await shown('operation')).toEqual(['Create']);
			expect(await shown('prompt')).toEqual(['']);
			expect(await shown('model')).toEqual(['From list', 'veo3-fast']);
			expect(await shown('size')).toEqual(['Landscape 16:9']);
			expect(await shown('seconds')).toEqual(['Model Default']);
			expect(await shown('frames')).toEqual(['None (Text to Video)']);
			expect(await shown('waitForCompletion')).toEqual(['true']);
			expect(await shown('output')).toEqual(['Video as Binary']);
			expect(await parameter('taskId').count()).toBe(0);
			await shot('ndv-create-defaults');
		});
	});

	it('First and Last Frame shows the two binary property fields; Retrieve shows Task ID', async () => {
		await step('switch-fields', async () => {
			await choose('frames', 'First and Last Frame');
			await parameter('firstFrameBinaryProperty').waitFor();
			expect(await shown('firstFrameBinaryProperty')).toEqual(['firstFrame']);
			expect(await shown('lastFrameBinaryProperty')).toEqual(['lastFrame']);
			expect(await parameter('imageBinaryProperty').count()).toBe(0);
			await shot('ndv-first-and-last-frame');

			await choose('operation', 'Retrieve');
			await parameter('taskId').waitFor();
			expect(await shown('taskId')).toEqual(['']);
			expect(await parameter('prompt').count()).toBe(0);
			expect(await parameter('frames').count()).toBe(0);
			// Retrieve does not wait by default.
			expect(await shown('waitForCompletion')).toEqual(['false']);
			await shot('ndv-retrieve');
		});
	});

	it('the credential dialog: a wrong key fails clearly, the simulator key tests successfully', async () => {
		await step('credential', async () => {
			sim.reset();
			await ndv().getByTestId('node-credentials-empty-state').getByRole('button').click();
			const dialog = page.getByTestId('credential-edit-dialog');
			await dialog.waitFor();
			expect(await page.getByText('CometAPI Veo API', { exact: true }).first().isVisible()).toBe(
				true,
			);

			// A wrong key: n8n saves the credential and says the test failed, with CometAPI's answer.
			await dialog
				.getByTestId('parameter-input-apiKey')
				.locator('input')
				.fill('sk-not-the-right-key');
			await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(sim.baseUrl);
			const wrongTest = page.waitForResponse((response) =>
				response.url().endsWith('/rest/credentials/test'),
			);
			await page.getByTestId('credential-save-button').click();
			expect(await (await wrongTest).json()).toMatchObject({ data: { status: 'Error' } });
			await dialog.getByText('Couldn’t connect with these settings').waitFor();
			await dialog.getByText('More details').click();
			await dialog.getByText('Unauthorized', { exact: true }).waitFor();
			await shot('credential-wrong-key');
			const wrongKeys = sim.requests
				.filter((r) => r.path === '/v1/models')
				.map((r) => [r.headers.authorization, r.status]);
			expect(wrongKeys.length).toBeGreaterThanOrEqual(1);
			expect(new Set(wrongKeys.map((k) => JSON.stringify(k)))).toEqual(
				new Set([JSON.stringify(['Bearer sk-not-the-right-key', 401])]),
			);

			// The simulator's key: the test passes and n8n closes the dialog; opened again, it shows the success.
			sim.reset();
			await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(sim.apiKey);
			const rightTest = page.waitForResponse((response) =>
				response.url().endsWith('/rest/credentials/test'),
			);
			await page.getByTestId('credential-save-button').click();
			expect(await (await rightTest).json()).toMatchObject({ data: { status: 'OK' } });
			await dialog.waitFor({ state: 'hidden' });
			expect(await ndv().getByTestId('node-credentials-select').locator('input').inputValue()).toBe(
				'CometAPI Veo account',
			);
			await ndv().getByTestId('credential-edit-button').click();
			const success = dialog.getByTestId('credentials-config-container-test-success');
			await success.waitFor();
			expect(await success.innerText()).toContain('Connection tested successfully');
			await shot('credential-tested');
			const keys = sim.requests
				.filter((r) => r.path === '/v1/models')
				.map((r) => [r.headers.authorization, r.status]);
			expect(keys.length).toBeGreaterThanOrEqual(2);
			expect(new Set(keys.map((k) => JSON.stringify(k)))).toEqual(
				new Set([JSON.stringify([`Bearer ${sim.apiKey}`, 200])]),
			);
			await page.keyboard.press('Escape');
			await dialog.waitFor({ state: 'hidden' });
		});
	});

	it('the prompt-to-video example runs from the canvas ("Execute workflow") against the simulator', async () => {
		await step('example', async () => {
			sim.reset();
			const credential = await restCall<{ id: string }>(
				server!.baseUrl,
				cookie,
				'POST',
				'/credentials',
				{
					name: 'CometAPI Veo (simulator)',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
			);
			const example = prepareExample(loadExample('prompt-to-video'), {
				id: 'unused',
				imageBaseUrl: `${sim.videoHostUrl}/images`,
				outputFolder: instance.outFolder,
				credentialId: credential.id,
			});
			// n8n gives a workflow created through its API an id of its own.
			const body: Record<string, unknown> = { ...example };
			delete body.id;
			const workflow = await restCall<{ id: string }>(
				server!.baseUrl,
				cookie,
				'POST',
				'/workflows',
				body,
			);

			// A page of its own: the previous one holds an unsaved workflow.
			await page.close();
			page = await context.newPage();
			await page.goto(`/workflow/${workflow.id}`);
			await page.getByTestId('execute-workflow-button').click();
			await page
				.locator('.el-notification')
				.filter({ hasText: 'Workflow executed successfully' })
				.waitFor({ timeout: 60_000 });
			for (const name of [
				"When clicking 'Execute workflow'",
				'Settings',
				'Create Video',
				'Write Video to Disk',
			]) {
				await page
					.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`)
					.getByTestId('canvas-node-status-success')
					.waitFor();
			}
			await shot('example-executed');

			const creates = sim.creates();
			expect(creates).toHaveLength(1);
			expect(creates[0].headers.authorization).toBe(`Bearer ${sim.apiKey}`);
			expect(creates[0].fields).toMatchObject({
				prompt: 'A paper kite floats above a field at sunset, slow dolly shot',
				model: 'veo3-fast',
			});
			const taskId = creates[0].taskId!;
			expect(sim.tasks.get(taskId)).toBeDefined();
			expect(existsSync(join(instance.outFolder, `${taskId}.mp4`))).toBe(true);
			expect(readdirSync(instance.outFolder)).toEqual([`${taskId}.mp4`]);
		});
	});

	it("the AI section of the nodes panel lists it beside n8n's own AI nodes", async () => {
		await step('ai-section', async () => {
			await page.getByTestId('node-creator-plus-button').click();
			await creator()
				.getByTestId('item-iterator-item')
				.filter({ has: page.getByText('AI', { exact: true }) })
				.click();
			const item = nodeItem(creator());
			await item.waitFor({ timeout: 10_000 });
			await creator().getByText('OpenAI', { exact: true }).waitFor();
			await item.scrollIntoViewIfNeeded();
			await shot('nodes-panel-ai-section');
			await page.keyboard.press('Escape');
		});
	});

	it('the browser reported no error or warning that names the package', () => {
		writeFileSync(
			join(SHOTS, 'browser-console.json'),
			JSON.stringify({ problems, blocked }, null, 2),
		);
		const external = new Set(blocked);
		const mentions = problems.filter(
			(problem) =>
				!external.has(problem.url) && MENTIONS_PACKAGE.test(`${problem.text} ${problem.url}`),
		);
		expect(mentions).toEqual([]);
		// Uncaught page errors are never expected, whatever they name.
		expect(problems.filter((problem) => problem.kind === 'pageerror')).toEqual([]);
	});
});
