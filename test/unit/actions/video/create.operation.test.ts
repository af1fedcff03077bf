import type { IBinaryData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { CreatePlan } from '../../../../nodes/CometApiVeo/actions/video/create.operation';
import { prepare } from '../../../../nodes/CometApiVeo/actions/video/create.operation';
import { readMaxConcurrentJobs } from '../../../../nodes/CometApiVeo/engine/run-options';
import { readFixture } from '../../../../dev/simulator';
import { useBinaryMode } from '../../../../dev/engine/binary-data';
import type { FakeContextOptions } from '../../../../dev/engine/fake-context';
import { expression, fakeExecuteFunctions } from '../../../../dev/engine/fake-context';

/** An image held inline (base64) in an item, as n8n keeps binaries in its default mode. */
function imageBinary(
	fixture: 'firstFrame' | 'lastFrame',
	mimeType: string,
	fileName: string,
): IBinaryData {
	return {
		data: readFixture(fixture).toString('base64'),
		mimeType,
		fileName,
		fileExtension: fileName.split('.').pop(),
	};
}

const png = imageBinary('firstFrame', 'image/png', 'first-frame.png');
const jpeg = imageBinary('lastFrame', 'image/jpeg', 'last-frame.jpg');

type Options = Omit<FakeContextOptions, 'parameters'> & { itemIndex?: number };

/** Create's prepare for one item, with the parameters a user set (n8n fills the rest). */
async function plan(parameters: INodeParameters, options: Options = {}): Promise<CreatePlan> {
	const { itemIndex = 0, ...context } = options;
	const ctx = fakeExecuteFunctions({
		parameters: { resource: 'video', operation: 'create', ...parameters },
		...context,
	});
	return await prepare.call(ctx, itemIndex);
}

/** The message of the error prepare raises. */
async function refusal(parameters: INodeParameters, options: Options = {}): Promise<string> {
	const outcome = await plan(parameters, options).then(
		() => 'prepare accepted the parameters',
		(error: Error) => error.message,
	);
	return outcome;
}

const WAIT_DEFAULTS = {
	wait: true,
	output: 'binary',
	onTimeout: 'return',
	binaryPropertyName: 'data',
	fileName: '',
	intervalMs: 10_000,
	maxWaitMs: 15 * 60_000,
	maxDownloadMs: 30 * 60_000,
};

describe('Create: what a parameter set turns into', () => {
	it('a prompt alone: every other field takes its default from the description', async () => {
		expect(await plan({ prompt: 'A paper kite at sunset' })).toEqual({
			prompt: 'A paper kite at sunset',
			model: 'veo3-fast',
			size: '16x9',
			seconds: '',
			frames: [],
			videos: 1,
			extraFields: [],
			settings: WAIT_DEFAULTS,
		});
	});

	it('each field as set', async () => {
		const result = await plan({
			prompt: '  trimmed prompt \n',
			model: { __rl: true, mode: 'id', value: 'veo3.1-pro' },
			size: '1920x1080',
			seconds: '6',
			videosPerPrompt: 3,
			additionalFields: {
				field: [
					{ name: 'negative_prompt', value: 'rain' },
					{ name: 'seed', value: 42 },
				],
			},
			output: 'binary',
			options: {
				binaryPropertyName: 'video',
				fileName: 'kite.mp4',
				pollInterval: 2,
				maxWaitMinutes: 0.5,
				maxDownloadMinutes: 90,
				onTimeout: 'error',
			},
		});
		expect(result).toEqual({
			prompt: 'trimmed prompt',
			model: 'veo3.1-pro',
			size: '1920x1080',
			seconds: '6',
			frames: [],
			videos: 3,
			extraFields: [
				['negative_prompt', 'rain'],
				['seed', '42'],
			],
			settings: {
				wait: true,
				output: 'binary',
				onTimeout: 'error',
				binaryPropertyName: 'video',
				fileName: 'kite.mp4',
				intervalMs: 2_000,
				maxWaitMs: 30_000,
				maxDownloadMs: 90 * 60_000,
			},
		});
	});

	it('the model from the list, as the editor stores it', async () => {
		const model = { __rl: true, mode: 'list', value: 'veo3-frames', cachedResultName: 'Veo 3' };
		expect((await plan({ prompt: 'p', model })).model).toBe('veo3-frames');
	});

	it('Output URL Only, and Wait for Completion off (then the output is the task, its URL)', async () => {
		expect((await plan({ prompt: 'p', output: 'url' })).settings).toEqual({
			...WAIT_DEFAULTS,
			output: 'url',
		});
		expect((await plan({ prompt: 'p', waitForCompletion: false })).settings).toEqual({
			...WAIT_DEFAULTS,
			wait: false,
			output: 'url',
		});
	});

	it('expressions: numbers become text, numeric text becomes numbers, per item', async () => {
		const items: INodeExecutionData[] = [
			{ json: { idea: 'first', length: 4, every: '3' } },
			{ json: { idea: 'second', length: 8, every: '5' } },
		];
		const parameters = {
			prompt: expression(({ item }) => `Video about the ${String(item.json.idea)} idea`),
			seconds: expression(({ item }) => item.json.length),
			videosPerPrompt: expression(() => '2'),
			model: { __rl: true, mode: 'id', value: expression(({ itemIndex }) => `veo3.${itemIndex}`) },
			options: { pollInterval: expression(({ item }) => item.json.every) },
		};
		const second = await plan(parameters, { items, itemIndex: 1 });
		expect(second).toMatchObject({
			prompt: 'Video about the second idea',
			seconds: '8',
			model: 'veo3.1',
			videos: 2,
			settings: { intervalMs: 5_000 },
		});
	});

	it('expressions giving objects, arrays or booleans where text belongs are refused by field', async () => {
		expect(await refusal({ prompt: expression(() => ({ text: 'kite' })) })).toBe(
			'Item 0: "Prompt" must be text, not an object',
		);
		expect(await refusal({ prompt: 'p', size: expression(() => 1280) })).toBe(
			'Item 0: "Size" is not a size like 16x9 or 1280x720: "1280"',
		);
		expect(await refusal({ prompt: 'p', seconds: expression(() => [8]) })).toBe(
			'Item 0: "Seconds" must be text, not an array',
		);
		expect(
			await refusal({
				prompt: 'p',
				model: { __rl: true, mode: 'id', value: expression(() => null) },
			}),
		).toBe('Item 0: "Model" is empty');
		expect(
			await refusal({ prompt: 'p', options: { fileName: expression(() => ({ name: 'x' })) } }),
		).toBe('Item 0: "File Name" must be text, not an object');
		expect(await refusal({ prompt: 'p', waitForCompletion: expression(() => 'true') })).toBe(
			'Item 0: "Wait for Completion" must be true or false, not "true"',
		);
		expect(await refusal({ prompt: 'p', output: expression(() => 'file') })).toBe(
			'Item 0: "Output" must be one of binary, url, not "file"',
		);
		expect(await refusal({ prompt: 'p', options: { onTimeout: 'ignore' } })).toBe(
			'Item 0: "On Timeout" must be one of return, error, not "ignore"',
		);
	});
});

describe('Create: which error a bad parameter set raises', () => {
	it('an empty or blank prompt, naming the item', async () => {
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		expect(await refusal({ prompt: '' })).toBe('Item 0: "Prompt" is empty');
		expect(await refusal({ prompt: '   ' }, { items, itemIndex: 2 })).toBe(
			'Item 2: "Prompt" is empty',
		);
	});

	it('an empty model', async () => {
		expect(await refusal({ prompt: 'p', model: { __rl: true, mode: 'id', value: '' } })).toBe(
			'Item 0: "Model" is empty',
		);
	});

	it('a size or a length not in their form', async () => {
		expect(await refusal({ prompt: 'p', size: 'big' })).toBe(
			'Item 0: "Size" is not a size like 16x9 or 1280x720: "big"',
		);
		expect(await refusal({ prompt: 'p', seconds: '4.5' })).toBe(
			'Item 0: "Seconds" is not a whole number of seconds: "4.5"',
		);
		expect(await refusal({ prompt: 'p', seconds: '0' })).toBe(
			'Item 0: "Seconds" is not a whole number of seconds: "0"',
		);
	});

	it('Videos per Prompt: a whole number from 1 to 4', async () => {
		expect((await plan({ prompt: 'p', videosPerPrompt: 4 })).videos).toBe(4);
		expect(await refusal({ prompt: 'p', videosPerPrompt: 5 })).toBe(
			'Item 0: "Videos per Prompt" must be from 1 to 4, not 5',
		);
		expect(await refusal({ prompt: 'p', videosPerPrompt: 0 })).toBe(
			'Item 0: "Videos per Prompt" must be from 1 to 4, not 0',
		);
		expect(await refusal({ prompt: 'p', videosPerPrompt: 1.5 })).toBe(
			'Item 0: "Videos per Prompt" must be a whole number from 1 to 4, not 1.5',
		);
	});

	it('the waiting options: their bounds, inclusive', async () => {
		const withOptions = async (options: INodeParameters) =>
			(await plan({ prompt: 'p', options })).settings;
		expect(await withOptions({ pollInterval: 1, maxWaitMinutes: 0.01 })).toMatchObject({
			intervalMs: 1_000,
			maxWaitMs: 600,
		});
		expect(
			await withOptions({ pollInterval: 3600, maxWaitMinutes: 1440, maxDownloadMinutes: 240 }),
		).toMatchObject({
			intervalMs: 3_600_000,
			maxWaitMs: 1440 * 60_000,
			maxDownloadMs: 240 * 60_000,
		});
		expect(await refusal({ prompt: 'p', options: { pollInterval: 0.5 } })).toBe(
			'Item 0: "Poll Interval (Seconds)" must be from 1 to 3600, not 0.5',
		);
		expect(await refusal({ prompt: 'p', options: { pollInterval: 3601 } })).toBe(
			'Item 0: "Poll Interval (Seconds)" must be from 1 to 3600, not 3601',
		);
		expect(await refusal({ prompt: 'p', options: { maxWaitMinutes: 1441 } })).toBe(
			'Item 0: "Max Wait (Minutes)" must be from 0.01 to 1440, not 1441',
		);
		expect(await refusal({ prompt: 'p', options: { maxWaitMinutes: 0 } })).toBe(
			'Item 0: "Max Wait (Minutes)" must be from 0.01 to 1440, not 0',
		);
		expect(await refusal({ prompt: 'p', options: { maxDownloadMinutes: 241 } })).toBe(
			'Item 0: "Max Download Time (Minutes)" must be from 0.01 to 240, not 241',
		);
		expect(await refusal({ prompt: 'p', options: { pollInterval: 'soon' } })).toBe(
			'Item 0: "Poll Interval (Seconds)" must be a number from 1 to 3600, not "soon"',
		);
	});

	it('an empty Binary Property only when the video is downloaded into it', async () => {
		expect(await refusal({ prompt: 'p', options: { binaryPropertyName: ' ' } })).toBe(
			'Item 0: "Binary Property" is empty',
		);
		// With URL Only the option is not shown, and n8n drops it from the parameters.
		const urlOnly = await plan({ prompt: 'p', output: 'url', options: { binaryPropertyName: '' } });
		expect(urlOnly.settings).toMatchObject({ output: 'url', binaryPropertyName: 'data' });
	});

	it('Additional Fields: a name is required and may not be one the node sends itself', async () => {
		const field = (name: string) => ({ additionalFields: { field: [{ name, value: 'x' }] } });
		expect(await refusal({ prompt: 'p', ...field('') })).toBe(
			'Item 0: "Additional Fields 1 Name" is empty',
		);
		expect(await refusal({ prompt: 'p', ...field('Model') })).toBe(
			'Item 0: "Additional Fields 1 Name" "Model" is a field the node sends itself',
		);
	});

	it('Max Concurrent Jobs (read once, from the first item): a whole number from 1 to 100', () => {
		const concurrency = (options: INodeParameters) =>
			readMaxConcurrentJobs.call(
				fakeExecuteFunctions({ parameters: { operation: 'create', prompt: 'p', options } }),
			);
		expect(concurrency({})).toBe(5);
		expect(concurrency({ maxConcurrentJobs: 100 })).toBe(100);
		expect(() => concurrency({ maxConcurrentJobs: 0 })).toThrow(
			'Item 0: "Max Concurrent Jobs" must be from 1 to 100, not 0',
		);
		expect(() => concurrency({ maxConcurrentJobs: 2.5 })).toThrow(
			'Item 0: "Max Concurrent Jobs" must be a whole number from 1 to 100, not 2.5',
		);
	});
});

describe('Create: image frames', () => {
	it('none: text to video, nothing read from the item', async () => {
		const items = [{ json: {}, binary: { data: png } }];
		expect((await plan({ prompt: 'p', frames: 'none' }, { items })).frames).toEqual([]);
	});

	it('one image from the default binary property "data"', async () => {
		const items = [{ json: {}, binary: { data: png } }];
		expect((await plan({ prompt: 'p', frames: 'single' }, { items })).frames).toEqual([
			{
				kind: 'binary',
				frame: { binary: png, mimeType: 'image/png' },
			},
		]);
	});

	it('first and last frame from their default properties, in that order', async () => {
		const items = [{ json: {}, binary: { lastFrame: jpeg, firstFrame: png } }];
		const { frames } = await plan({ prompt: 'p', frames: 'firstLast' }, { items });
		expect(
			frames.map(
				(source) => source.kind === 'binary' && [source.frame.binary, source.frame.mimeType],
			),
		).toEqual([
			[png, 'image/png'],
			[jpeg, 'image/jpeg'],
		]);
	});

	it("frames from named properties, and from the json in n8n's combined binary mode", async () => {
		const parameters = {
			prompt: 'p',
			frames: 'firstLast',
			firstFrameBinaryProperty: 'start',
			lastFrameBinaryProperty: 'end',
		};
		const separate = await plan(parameters, {
			items: [{ json: {}, binary: { start: png, end: jpeg } }],
		});
		const combined = await plan(parameters, {
			items: [{ json: { start: png, end: jpeg } as never }],
			binaryMode: 'combined',
		});
		expect(combined.frames).toEqual(separate.frames);
		expect(separate.frames).toHaveLength(2);
	});

	it('an image stored as application/octet-stream passes by its extension', async () => {
		const octet = { ...jpeg, mimeType: 'application/octet-stream', fileName: 'dusk.JPG' };
		const items = [{ json: {}, binary: { data: octet } }];
		const [source] = (await plan({ prompt: 'p', frames: 'single' }, { items })).frames;
		expect(source).toMatchObject({ kind: 'binary', frame: { mimeType: 'image/jpeg' } });
	});

	it('frames from URLs: checked now, fetched only when the job runs', async () => {
		const { frames } = await plan(
			{
				prompt: 'p',
				frames: 'firstLast',
				firstFrameSource: 'url',
				firstFrameUrl: ' https://images.example/dawn.png ',
				lastFrameSource: 'binary',
			},
			{ items: [{ json: {}, binary: { lastFrame: jpeg } }] },
		);
		expect(frames[0]).toEqual({
			kind: 'url',
			url: 'https://images.example/dawn.png',
			field: 'First Frame URL',
		});
		expect(frames[1]).toMatchObject({ kind: 'binary', frame: { binary: jpeg } });
	});

	it('refuses a missing property, naming the item, the field and the property', async () => {
		const items = [{ json: {} }, { json: {}, binary: { data: png } }];
		expect(
			await refusal(
				{ prompt: 'p', frames: 'firstLast' },
				{ items: [{ json: {}, binary: { firstFrame: png } }] },
			),
		).toBe('Item 0: "Last Frame Binary Property": the item has no binary property "lastFrame"');
		expect(
			await refusal(
				{ prompt: 'p', frames: 'single', imageBinaryProperty: 'photo' },
				{ items, itemIndex: 1 },
			),
		).toBe('Item 1: "Image Binary Property": the item has no binary property "photo"');
		expect(
			await refusal({ prompt: 'p', frames: 'single', imageBinaryProperty: ' ' }, { items }),
		).toBe('Item 0: "Image Binary Property" is empty');
	});

	it('refuses a file that is not a PNG, JPEG or WebP image', async () => {
		const text = {
			data: Buffer.from('hello').toString('base64'),
			mimeType: 'text/plain',
			fileName: 'notes.txt',
		};
		const gif = { ...png, mimeType: 'image/gif', fileName: 'a.gif' };
		expect(
			await refusal(
				{ prompt: 'p', frames: 'single' },
				{ items: [{ json: {}, binary: { data: text } }] },
			),
		).toBe('Item 0: "Image Binary Property": binary property "data" is not an image (text/plain)');
		expect(
			await refusal(
				{ prompt: 'p', frames: 'single' },
				{ items: [{ json: {}, binary: { data: gif } }] },
			),
		).toBe(
			'Item 0: "Image Binary Property": binary property "data" is not a PNG, JPEG or WebP image (image/gif)',
		);
	});

	it("refuses an image over 20 MB, and a file no longer in n8n's binary store", async () => {
		const huge = { ...png, data: Buffer.alloc(20 * 1024 * 1024 + 1).toString('base64') };
		expect(
			await refusal(
				{ prompt: 'p', frames: 'single' },
				{ items: [{ json: {}, binary: { data: huge } }] },
			),
		).toBe('Item 0: "Image Binary Property": binary property "data" is larger than 20 MB');

		await useBinaryMode('filesystem');
		const gone = {
			...png,
			data: 'filesystem-v2',
			id: 'filesystem-v2:workflows/w/executions/e/binary_data/gone',
		};
		expect(
			await refusal(
				{ prompt: 'p', frames: 'single' },
				{ items: [{ json: {}, binary: { data: gone } }] },
			),
		).toBe(
			'Item 0: "Image Binary Property": the file of binary property "data" is no longer in n8n\'s binary store',
		);
	});

	it('refuses a frame mode or source that is not one of the options, and a URL that is not http(s)', async () => {
		expect(await refusal({ prompt: 'p', frames: expression(() => 'both') })).toBe(
			'Item 0: "Image Frames" must be one of none, single, firstLast, not "both"',
		);
		expect(await refusal({ prompt: 'p', frames: 'single', imageSource: 'drive' })).toBe(
			'Item 0: "Image Source" must be one of binary, url, not "drive"',
		);
		expect(await refusal({ prompt: 'p', frames: 'single', imageSource: 'url' })).toBe(
			'Item 0: "Image URL" is empty',
		);
		expect(
			await refusal({
				prompt: 'p',
				frames: 'single',
				imageSource: 'url',
				imageUrl: 'file:///etc/passwd',
			}),
		).toBe('Item 0: "Image URL" is not an http(s) URL: "file:///etc/passwd"');
	});
});
