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
import type { ScriptedOpenAi } from '../../dev/n8n-cli/scripted-openai';
import { startScriptedOpenAi } from '../../dev/n8n-cli/scripted-openai';
import { prepareAgentExample, VEO_TOOL_TYPE } from '../../dev/n8n-cli/agent-workflow';

/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;

/** Three videos the scripted model asks for, one tool call each, against a limit that allows two. */
const THREE_PROMPTS = [1, 2, 3].map(
	(take) => `Take ${take}: a red fox bounds through fresh powder snow at dawn, low tracking shot`,
);

/** The prompt the scripted model chooses for the video (the user's request is looser). */
const MODEL_PROMPT =
	'A red fox bounds through fresh powder snow at dawn, low tracking shot, warm golden light';

/** Pulls the task id and the video URL out of the tool's answer, however n8n serialised it. */
function fromToolResult(text: string): { id?: string; url?: string } {
	return {
		id: /(task_[A-Za-z0-9_-]+)/.exec(text)?.[1],
		url: /video_url\\*"\s*:\s*\\*"([^"\\]+)/.exec(text)?.[1],
	};
}

function agentOutput(run: CliRun): string {
	const item = run.result?.data.resultData.runData['AI Agent']?.[0]?.data?.main[0]?.[0];
	return String(item?.json.output ?? '');
}

/**
 * examples/agent-makes-a-video.json in the real n8n 2.41.1: n8n's AI Agent with an OpenAI Chat
 * Model and CometAPI Veo as its tool (`n8n-nodes-cometapi-veo.cometApiVeoTool`, the package
 * installed as a community package). The chat model's credential points at a scripted
 * OpenAI-compatible server: it calls the tool with a prompt of its choosing, then quotes the task
 * id and the video URL from the tool's answer.
 */
describe.each(n8nVersionsUnderTest())(
	'In the real n8n %s CLI: an AI Agent makes a video with CometAPI Veo as its tool',
	(version) => {
		let sim: CometApiSimulator;
		let model: ScriptedOpenAi;
		let instance: N8nInstance;
		let run: CliRun;

		beforeAll(async () => {
			const paths = n8nPaths(version);
			const { tarball } = await packPackage();
			instance = scratchN8n(paths);
			await installPackage(instance, tarball);
			sim = await startSimulator();
			model = await startScriptedOpenAi({
				toolCalls: [{ tool: /video/i, arguments: { prompt: MODEL_PROMPT } }],
				finalAnswer(toolResult) {
					const { id, url } = fromToolResult(toolResult);
					return id && url
						? `Your video is ready. Task id: ${id}. Video: ${url}`
						: `I could not read the tool's answer: ${toolResult}`;
				},
			});
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
			const workflow = prepareAgentExample({ id: 'e2eagentvideo' });
			await importWorkflow(instance, workflow);
			run = await executeWorkflow(instance, workflow.id);
		}, INSTALL_TIMEOUT);
		afterAll(async () => {
			await model?.close();
			await sim?.close();
		});

		it('the workflow ran to the end', () => {
			if (run.exitCode !== 0 || run.result?.data.resultData.error)
				throw new Error(`the run failed:\n${run.output.slice(-4000)}`);
			expect(run.result?.status ?? 'success').toBe('success');
		});

		it('the model was offered the Veo tool with a "prompt" parameter and called it', () => {
			const [first] = model.requests;
			expect(first.answered).toBe('tool-call');
			const tool = first.body.tools?.find((candidate) => /video/i.test(candidate.function.name));
			expect(tool).toBeDefined();
			const schema = tool!.function.parameters as { properties?: Record<string, unknown> };
			expect(Object.keys(schema.properties ?? {})).toContain('prompt');
		});

		it('the simulator received one create, with the prompt the model chose', () => {
			const creates = sim.creates();
			expect(creates).toHaveLength(1);
			expect(creates[0].fields.prompt).toBe(MODEL_PROMPT);
			expect(creates[0].fields.model).toBe('veo3-fast');
			expect(creates[0].headers.authorization).toBe(`Bearer ${sim.apiKey}`);
			// Output URL Only: the tool waited for the job but downloaded nothing.
			expect(sim.requests.filter((request) => request.server === 'video')).toEqual([]);
		});

		it("the tool's answer went back to the model, with the finished task's id and URL", () => {
			const last = model.requests[model.requests.length - 1];
			expect(last.answered).toBe('final');
			const toolMessage = last.body.messages.find((message) => message.role === 'tool');
			const text = JSON.stringify(toolMessage?.content);
			const taskId = sim.creates()[0].taskId!;
			expect(text).toContain(taskId);
			expect(text).toContain('completed');
			const { url } = fromToolResult(text);
			expect(url).toMatch(new RegExp(`^${sim.videoHostUrl}/`));
		});

		it("the agent's final output carries the task id and the video URL", () => {
			const taskId = sim.creates()[0].taskId!;
			const task = sim.tasks.get(taskId);
			expect(task).toBeDefined();
			const output = agentOutput(run);
			expect(output).toContain(taskId);
			const { url } = fromToolResult(JSON.stringify(model.requests.at(-1)?.body.messages));
			expect(url).toBeDefined();
			expect(output).toContain(url!);
		});

		/**
		 * The spend limit holds over the whole execution: the agent runs the tool once per call,
		 * each a run of the same node in the same execution, so the third of three 0.4 USD videos
		 * against 1 USD is refused, however the agent spreads its calls.
		 */
		describe('with Max Estimated Spend per Execution of 1 USD, a model asking for three videos in three tool calls', () => {
			let limitSim: CometApiSimulator;
			let limitModel: ScriptedOpenAi;
			let limitRun: CliRun;

			beforeAll(async () => {
				limitSim = await startSimulator();
				limitModel = await startScriptedOpenAi({
					toolCalls: THREE_PROMPTS.map((prompt) => ({ tool: /video/i, arguments: { prompt } })),
					finalAnswer: (toolResult) => `The last video: ${toolResult}`,
				});
				await importCredentials(instance, [
					{
						id: 'cometapi-veo-limited',
						name: 'CometAPI Veo account (limit)',
						type: 'cometApiVeoApi',
						data: { apiKey: limitSim.apiKey, baseUrl: limitSim.baseUrl },
					},
					{
						id: 'openai-three-videos',
						name: 'OpenAI account (three videos)',
						type: 'openAiApi',
						data: { apiKey: limitModel.apiKey, url: limitModel.baseUrl },
					},
				]);
				const workflow = prepareAgentExample({ id: 'e2eagentlimit' });
				for (const node of workflow.nodes as Array<
					(typeof workflow.nodes)[number] & { credentials?: Record<string, unknown> }
				>) {
					if (node.type === VEO_TOOL_TYPE) {
						node.parameters.options = {
							...(node.parameters.options as object),
							maxEstimatedSpend: 1,
						};
						node.credentials = {
							cometApiVeoApi: { id: 'cometapi-veo-limited', name: 'CometAPI Veo account (limit)' },
						};
					} else if (node.credentials?.openAiApi) {
						node.credentials = {
							openAiApi: { id: 'openai-three-videos', name: 'OpenAI account (three videos)' },
						};
					}
				}
				await importWorkflow(instance, workflow);
				limitRun = await executeWorkflow(instance, workflow.id);
			}, INSTALL_TIMEOUT);
			afterAll(async () => {
				await limitModel?.close();
				await limitSim?.close();
			});

			const LIMIT_ERROR =
				'The estimated spend of this run, 0.4 USD for 1 video of 1 item, with 0.8 USD already estimated for earlier runs of this node in this execution (1.2 USD in all), is over Max Estimated Spend per Execution (1)';

			it('the model made its three tool calls', () => {
				expect(limitModel.requests.slice(0, 3).map((request) => request.answered)).toEqual([
					'tool-call',
					'tool-call',
					'tool-call',
				]);
			});

			it('exactly two creates reached CometAPI: the first two videos', () => {
				expect(limitSim.creates().map((create) => create.fields.prompt)).toEqual(
					THREE_PROMPTS.slice(0, 2),
				);
			});

			it('the third tool call was answered with the limit, saying what earlier calls already used', () => {
				const runs = limitRun.result?.data.resultData.runData['Make Video'] ?? [];
				// The tool answers the refusal (engine/tool-run.ts): no run failed, on 1.x or 2.x.
				expect(runs.filter((run) => run.error)).toEqual([]);
				// A tool run's output is logged under its ai_tool connection (rewireOutputLogTo).
				const answers = runs
					.flatMap((run) => Object.values(run.data ?? {}).flatMap((outputs) => outputs[0] ?? []))
					.map((item) => item.json);
				expect(answers.map((answer) => answer.id)).toEqual([
					expect.stringMatching(/^task_/),
					expect.stringMatching(/^task_/),
					null,
				]);
				expect(answers[2]).toMatchObject({
					status: 'not_started',
					failure: { message: LIMIT_ERROR, retryable: false },
				});
			});

			it('the limit went back to the model, which answered (n8n 1.x and 2.x alike)', () => {
				if (limitRun.exitCode !== 0 || limitRun.result?.data.resultData.error)
					throw new Error(`the run failed:\n${limitRun.output.slice(-4000)}`);
				const last = limitModel.requests[limitModel.requests.length - 1];
				expect(last.answered).toBe('final');
				const toolMessages = last.body.messages.filter((message) => message.role === 'tool');
				const texts = toolMessages.map((message) => JSON.stringify(message.content));
				expect(texts).toHaveLength(3);
				for (const text of texts.slice(0, 2)) expect(text).toMatch(/task_/);
				expect(texts[2]).toContain(LIMIT_ERROR);
				expect(texts[2]).not.toMatch(/task_/);
			});
		});
	},
);
