import type { IExecuteFunctions } from 'n8n-workflow';

import { apiRequest } from '../transport';
import type { VideoTask } from './task';
import { normaliseTask } from './task';

/** GET /v1/videos/{id}, retried as a read, normalised. */
export async function fetchTask(this: IExecuteFunctions, taskId: string, itemIndex: number): Promise<VideoTask> {
	const raw = await apiRequest.call(this, {
		method: 'GET',
		path: `/v1/videos/${encodeURIComponent(taskId)}`,
		itemIndex,
		retry: 'read',
	});
	return normaliseTask(raw, taskId);
}
