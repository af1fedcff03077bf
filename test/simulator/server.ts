/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-side server: the community-node rules bind the shipped node, not this */
import { createServer, type Server } from 'node:http';
import { readCreateRequest } from './create-request';
import { errorReply, invalidTokenReply } from './envelope';
import { exchangeHandler, type Exchange, type ExchangeDeps, type ServerRoutes } from './exchange';
import { modelList, publicModelList, resolveModel } from './models';
import { jsonReply, textReply, videoReply, type Reply } from './reply';
import type { ScriptBook } from './scripts';
import { renderTask, videoHostUrl, type Origins } from './task-view';
import type { TaskStore } from './tasks';
import type { RecordedRequest } from './types';
import { homePageReply, wrongPathReply } from './wrong-path';

export interface ApiContext {
	apiKey: string;
	tasks: TaskStore;
	scripts: ScriptBook;
	origins: Origins;
	checkImages: boolean;
}

const TASK_PATH = /^\/v1\/videos\/([^/]+)$/;
const CONTENT_PATH = /^\/v1\/videos\/([^/]+)\/content$/;

export function createApiServer(deps: ExchangeDeps, ctx: ApiContext): Server {
	return createServer(exchangeHandler('api', deps, apiRoutes(ctx)));
}

/** CometAPI's routes; anything else gets the site's 301 to an HTML page. */
function apiRoutes(ctx: ApiContext): ServerRoutes {
	return {
		taskIdOf({ path }) {
			const id = (TASK_PATH.exec(path) ?? CONTENT_PATH.exec(path))?.[1];
			return id !== undefined && ctx.tasks.get(id) ? id : undefined;
		},
		route(exchange) {
			const { method, path } = exchange.record;
			if (path === '/') return method === 'GET' || method === 'HEAD' ? homePageReply() : wrongPathReply();
			if (path === '/api/models') return only(method, 'GET') ?? jsonReply(200, publicModelList());
			const handler = authenticatedRoute(ctx, exchange);
			if (!handler) return wrongPathReply();
			if (!isAuthorized(ctx, exchange.record)) return invalidTokenReply();
			return handler();
		},
	};
}

function authenticatedRoute(ctx: ApiContext, exchange: Exchange): (() => Reply) | undefined {
	const { method, path } = exchange.record;
	if (path === '/v1/models') return () => only(method, 'GET') ?? jsonReply(200, modelList());
	if (path === '/v1/videos') return () => only(method, 'POST') ?? createVideo(ctx, exchange);
	const taskId = TASK_PATH.exec(path)?.[1];
	if (taskId !== undefined) return () => only(method, 'GET') ?? retrieveVideo(ctx, exchange.record, taskId);
	const contentId = CONTENT_PATH.exec(path)?.[1];
	if (contentId !== undefined) return () => only(method, 'GET') ?? videoContent(ctx, exchange.record, contentId);
	return undefined;
}

function isAuthorized(ctx: ApiContext, record: RecordedRequest): boolean {
	return record.headers.authorization === `Bearer ${ctx.apiKey}`;
}

/** A 405 envelope when the method is not the route's; undefined when it is. */
function only(method: string, allowed: string): Reply | undefined {
	if (method === allowed || (allowed === 'GET' && method === 'HEAD')) return undefined;
	return errorReply(405, `Method ${method} is not allowed here`, 'method_not_allowed', { allow: allowed });
}

function createVideo(ctx: ApiContext, { record, body }: Exchange): Reply {
	const input = readCreateRequest(body, ctx.checkImages);
	if (typeof input === 'string') return errorReply(400, input, 'invalid_request');
	const script = ctx.scripts.forCreate(record);
	const task = ctx.tasks.create({
		createSeq: record.seq,
		prompt: input.prompt,
		requestedModel: input.model,
		model: script.resolvedModel ?? resolveModel(input.model),
		size: input.size || '16x9',
		seconds: input.seconds,
		references: input.references,
		script,
	});
	record.taskId = task.id;
	return answerTask(ctx, task.id, true);
}

function retrieveVideo(ctx: ApiContext, record: RecordedRequest, taskId: string): Reply {
	if (!ctx.tasks.get(taskId)) return errorReply(404, `Task ${taskId} not found`, 'task_not_found');
	record.taskId = taskId;
	return answerTask(ctx, taskId, record.method === 'GET');
}

/** The task as it stands now; with the poll clock, a create or GET then moves it one step (a HEAD does not). */
function answerTask(ctx: ApiContext, taskId: string, moves: boolean): Reply {
	const task = ctx.tasks.get(taskId);
	if (!task) return errorReply(404, `Task ${taskId} not found`, 'task_not_found');
	const view = renderTask(task, ctx.tasks.state(task), ctx.origins);
	if (moves) ctx.tasks.afterAnswer(task);
	return jsonReply(200, view);
}

function videoContent(ctx: ApiContext, record: RecordedRequest, taskId: string): Reply {
	const task = ctx.tasks.get(taskId);
	if (!task) return errorReply(404, `Task ${taskId} not found`, 'task_not_found');
	record.taskId = taskId;
	const variant = record.query.variant ?? 'video';
	if (variant !== 'video') return errorReply(400, `variant ${variant} is not available for this model`, 'invalid_request');
	const state = ctx.tasks.state(task);
	if (state.failed) return errorReply(400, 'video is not ready: the task failed', 'video_not_ready');
	if (!state.completed) return errorReply(400, 'video is not ready', 'video_not_ready');
	const url = videoHostUrl(ctx.origins, task.id);
	switch (task.script.content) {
		case 'redirect':
			return textReply(302, '', 'text/plain; charset=utf-8', { location: url });
		case 'json-url':
			return jsonReply(200, { url });
		case 'bytes':
			return videoReply(task.script.video);
	}
}
