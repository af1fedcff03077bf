import { createVideo } from './create';
import { errorReply, homePageReply, invalidTokenReply, wrongPathReply } from './errors';
import type { Exchange, ServerRoutes } from './exchange';
import { jsonReply, type Reply } from './http';
import type { CatalogueKind } from './models';
import { modelList, publicModelList } from './models';
import { retrieveVideo } from './retrieve';
import type { ScriptBook, TaskStore } from './tasks';
import type { RecordedRequest } from './types';
import { videoContent, type Origins } from './video';

// The API host (api.cometapi.com). Authentication: every call but the public catalogue needs
// `Authorization: Bearer <key>`. Routes, each in its own file:
//   POST /v1/videos                  create.ts
//   GET  /v1/videos/{id}             retrieve.ts
//   GET  /v1/videos/{id}/content     video.ts
//   errors, wrong paths              errors.ts
//   GET  /v1/models, GET /api/models models.ts

export interface ApiContext {
	apiKey: string;
	tasks: TaskStore;
	scripts: ScriptBook;
	origins: Origins;
	checkImages: boolean;
	/** How GET /api/models prices Veo; a test may change it. */
	catalogue: { kind: CatalogueKind };
}

const TASK_PATH = /^\/v1\/videos\/([^/]+)$/;
const CONTENT_PATH = /^\/v1\/videos\/([^/]+)\/content$/;

/** CometAPI's routes; anything else gets the site's 301 to an HTML page. */
export function apiRoutes(ctx: ApiContext): ServerRoutes {
	return {
		taskIdOf({ path }) {
			const id = (TASK_PATH.exec(path) ?? CONTENT_PATH.exec(path))?.[1];
			return id !== undefined && ctx.tasks.get(id) ? id : undefined;
		},
		route(exchange) {
			const { method, path } = exchange.record;
			if (path === '/')
				return method === 'GET' || method === 'HEAD' ? homePageReply() : wrongPathReply();
			if (path === '/api/models')
				return only(method, 'GET') ?? jsonReply(200, publicModelList(ctx.catalogue.kind));
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
	if (taskId !== undefined)
		return () => only(method, 'GET') ?? retrieveVideo(ctx, exchange.record, taskId);
	const contentId = CONTENT_PATH.exec(path)?.[1];
	if (contentId !== undefined)
		return () => only(method, 'GET') ?? videoContent(ctx, exchange.record, contentId);
	return undefined;
}

function isAuthorized(ctx: ApiContext, record: RecordedRequest): boolean {
	return record.headers.authorization === `Bearer ${ctx.apiKey}`;
}

/** A 405 envelope when the method is not the route's; undefined when it is. */
function only(method: string, allowed: string): Reply | undefined {
	if (method === allowed || (allowed === 'GET' && method === 'HEAD')) return undefined;
	return errorReply(405, `Method ${method} is not allowed here`, 'method_not_allowed', {
		allow: allowed,
	});
}
