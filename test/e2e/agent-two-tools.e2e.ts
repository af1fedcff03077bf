import type { CometApiSimulator } from '../../dev/simulator';
import { startSimulator } from '../../dev/simulator';
import type { CliRun, N8nInstance } from '../../dev/n8n-cli/n8n-cli';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	scratchN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';
import type { ScriptedOpenAi, ToolTurn } from '../../dev/n8n-cli/scripted-openai';
import { startScriptedOpenAi, toolHistory } from '../../dev/n8n-cli/scripted-openai';
import { firstAnswer, PROMPTS, readAnswer, REFUSED_WORD, twoToolsScript } from './two-tools-script';
import { loadExample } from '../../dev/n8n-cli/workflow-files';

/** Installing an n8n that is not in .cache/ yet takes minutes; the agent's run about three. */
const TIMEOUT = 900_000;

/**
 * The simulated render: one step per STEP_MS of real time (queued, in_progress, completed), so
 * a video is ready 2 × STEP_MS after its create and a refused one fails after STEP_MS. Both are
 * far above Check Video's short wait (the example's Max Wait, 15 s): a Check Video that waited
 * for the render would outlast SHORT_WAIT_MS + MARGIN_MS.
 */
const STEP_MS = 30_000;
const SHORT_WAIT_MS = 15_000;
/** Generous: n8n starting the tool run, the last poll's answer, a busy machine. */
const MARGIN_MS = 20_000;

/** The fields of the tool answer (nodes/CometApiVeo/engine/tool-answer.ts); no raw, no binary. */
const ANSWER_KEYS = ['id', 'status', 'progress', 'video_url', 'expires_at', 'failure', 'next_step'];

const turnsOf = (model: ScriptedOpenAi): ToolTurn[] =>
	toolHistory(model.requests.at(-1)?.body.messages ?? []);

/**
 * examples/agent-two-tools.json in the real n8n: an AI Agent with Start Video (Create, no wait,
 * Max Estimated Spend per Execution 1.5 USD) and Check Video (Retrieve by id, a 15-second wait,
 * On Timeout: return). The scripted model (two-tools-script.ts) starts two videos, checks them
 * until both have ended, meets a safety refusal, rewrites and restarts that one, makes a fourth
 * start the spend limit refuses, and answers with the two URLs.
 */
describe.each(n8nVersionsUnderTest())(
	'In the real n8n %s CLI: an AI Agent starts videos and comes back for them (two tools)',
	(version) => {
		let sim: CometApiSimulator;
		let model: ScriptedOpenAi;
		let run: CliRun;

		beforeAll(async () => {
			const { tarball } = await packPackage();
			const instance: N8nInstance = scratchN8n(n8nPaths(version));
			await installPackage(instance, tarball);
			sim = await startSimulator({ clock: 'time', stepMs: STEP_MS });
			sim.script((request) =>
				(request.fields.prompt ?? '').includes(REFUSED_WORD)
					? {
							steps: [
								{ status: 'queued', progress: 0 },
								{ status: 'in_progress', progress: 20 },
							],
							outcome: 'failed',
							failure: 'error-object',
						}
					: { expiresAt: true },
			);
			model = await startScriptedOpenAi(twoToolsScript());
			await importCredentials(instance, [
				{
					id: 'cometapi-veo-credential',
					name: 'CometAPI Veo account',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
				{
					id: 'openai-credential',
					name: 'OpenAI account',
					type: 'openAiApi',
					data: { apiKey: model.apiKey, url: model.baseUrl },
				},
			]);
			const workflow = loadExample('agent-two-tools');
			workflow.id = 'e2eagenttwotools';
			await importWorkflow(instance, workflow);
			run = await executeWorkflow(instance, workflow.id);
		}, TIMEOUT);
		afterAll(async () => {
			await model?.close();
			await sim?.close();
		});

		const starts = () => turnsOf(model).filter((turn) => /start/i.test(turn.tool));
		const checks = () => turnsOf(model).filter((turn) => /check/i.test(turn.tool));
		const limitText = /Max Estimated Spend per Execution \(1\.5\)/;

		it('the model was offered both tools, with the descriptions and parameters of the example', () => {
			const tools = model.requests[0].body.tools ?? [];
			const byName = (pattern: RegExp) => tools.find((tool) => pattern.test(tool.function.name));
			const start = byName(/start/i)?.function;
			const check = byName(/check/i)?.function;
			expect(start?.description).toMatch(/billed.*never start the same video twice/is);
			expect(check?.description).toMatch(/again later with the same id/i);
			const keys = (fn?: { parameters?: Record<string, unknown> }) =>
				Object.keys((fn?.parameters as { properties?: object } | undefined)?.properties ?? {});
			expect(keys(start)).toEqual(['prompt']);
			expect(keys(check)).toEqual(['task_id']);
		});

		it('exactly three creates reached CometAPI: two videos and the rewritten refused one', () => {
			expect(sim.creates().map((create) => create.fields.prompt)).toEqual([
				PROMPTS.fox,
				PROMPTS.arena,
				PROMPTS.arenaRewritten,
			]);
		});

		it('every check ended within the short wait while the render went on (none held the turn)', () => {
			const runs = run.result?.data.resultData.runData['Check Video'] ?? [];
			// 1.x and 2.x first record a requested tool run as an empty entry: count the finished.
			const finished = runs.filter((entry) => entry.data || entry.error);
			expect(finished.length).toBe(checks().length);
			for (const entry of finished)
				expect(entry.executionTime).toBeLessThanOrEqual(SHORT_WAIT_MS + MARGIN_MS);
			// Not a clock reading: the first check of each video came back while it still ran.
			for (const prompt of [PROMPTS.fox, PROMPTS.arenaRewritten]) {
				const id = sim.creates().find((create) => create.fields.prompt === prompt)?.taskId;
				const first = checks().find((turn) => turn.arguments.task_id === id);
				expect(readAnswer(first?.result ?? '').status).toMatch(/^(queued|in_progress)$/);
			}
		});

		it('a Start Video answer: the id, queued, the cost estimate and failure null (the tool answer)', () => {
			const [fox] = starts();
			const answer = firstAnswer(fox.result);
			expect(answer).toMatchObject({
				id: sim.creates()[0].taskId,
				status: 'queued',
				failure: null,
				cost_estimate: { amount: 0.4, currency: 'USD' },
			});
			expect(Object.keys(answer).sort()).toEqual([...ANSWER_KEYS, 'cost_estimate'].sort());
		});

		it('a check of a running job says timed_out (retry later); the refusal says content_refused', () => {
			const answers = checks().map((turn) => firstAnswer(turn.result));
			expect(answers.find((answer) => answer.status === 'in_progress')?.failure).toMatchObject({
				kind: 'timed_out',
				retryable: true,
			});
			const refusedId = sim.creates()[1].taskId;
			const refusal = answers.find(
				(answer) => answer.id === refusedId && answer.status === 'failed',
			);
			expect(refusal?.failure).toMatchObject({ kind: 'content_refused', retryable: false });
			for (const answer of answers)
				expect(Object.keys(answer).sort()).toEqual([...ANSWER_KEYS].sort());
		});

		it('a finished check: the video URL, when it expires, failure null; nothing was downloaded', () => {
			const done = checks()
				.map((turn) => firstAnswer(turn.result))
				.filter((answer) => answer.status === 'completed');
			expect(done.map((answer) => answer.id).sort()).toEqual(
				[sim.creates()[0].taskId, sim.creates()[2].taskId].sort(),
			);
			for (const answer of done) {
				expect(answer.video_url).toBe(`${sim.videoHostUrl}/videos/${String(answer.id)}.mp4`);
				expect(answer.expires_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
				expect(answer.failure).toBeNull();
			}
			expect(sim.requests.filter((request) => request.server === 'video')).toEqual([]);
		});

		it('the fourth start was answered with the spend limit, before anything was sent', () => {
			const answer = firstAnswer(starts().at(-1)?.result ?? '');
			expect(answer).toMatchObject({
				id: null,
				status: 'not_started',
				failure: { message: expect.stringMatching(limitText), retryable: false },
			});
			// Answered, not thrown: no run of Start Video failed, and the execution went on.
			const runs = run.result?.data.resultData.runData['Start Video'] ?? [];
			expect(runs.filter((entry) => entry.error)).toEqual([]);
			expect(sim.creates()).toHaveLength(3);
		});

		it('the model answered with both URLs', () => {
			const urls = [0, 2].map(
				(index) => `${sim.videoHostUrl}/videos/${sim.creates()[index].taskId}.mp4`,
			);
			expect(run.result?.data.resultData.error).toBeUndefined();
			expect(run.exitCode).toBe(0);
			expect(model.requests.at(-1)?.answered).toBe('final');
			const output = String(
				run.result?.data.resultData.runData['AI Agent']?.[0]?.data?.main[0]?.[0]?.json.output ?? '',
			);
			for (const url of urls) expect(output).toContain(url);
			expect(output).toMatch(limitText);
		});
	},
);
