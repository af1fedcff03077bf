import type { CometApiSimulator } from '../simulator';
import { startSimulator } from '../simulator';
import type { CliRun, N8nInstance } from './n8n-cli';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	scratchN8n,
} from './n8n-cli';
import { packPackage } from './package';
import type { ScriptedOpenAi } from './scripted-openai';
import { startScriptedOpenAi } from './scripted-openai';
import { prepareAgentExample } from './agent-workflow';

/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;

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
				toolCall: { tool: /video/i, arguments: { prompt: MODEL_PROMPT } },
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
	},
);
