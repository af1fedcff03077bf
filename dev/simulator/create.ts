import type { ApiContext } from './api';
import { errorReply } from './errors';
import type { Exchange } from './exchange';
import type { Reply } from './http';
import type { CreateRefusalName } from './types';
import { DEFAULT_MODEL, resolveModel } from './models';
import { answerTask } from './retrieve';

// CometAPI's Create route: POST /v1/videos, multipart/form-data with prompt (required), model, size,
// seconds, and 0, 1 or 2 input_reference file parts (first frame, then last frame).

export const VALID_SIZES = ['16x9', '9x16', '1280x720', '720x1280', '1920x1080', '3840x2160'];
export const VALID_SECONDS = ['4', '6', '8'];
export const MAX_REFERENCES = 2;
const REFERENCE_FIELD = 'input_reference';

export interface CreateInput {
	prompt: string;
	model: string;
	/** '' when not sent. */
	size: string;
	/** '' when not sent. */
	seconds: string;
	references: number;
}

/** Creates the task (a billed job) and answers it as retrieve would, at step 0. */
export function createVideo(ctx: ApiContext, { record, body }: Exchange): Reply {
	const input = readCreateRequest(body, ctx.checkImages);
	if (typeof input === 'string') return errorReply(400, input, 'invalid_request');
	const script = ctx.scripts.forCreate(record);
	if (script.refuseCreate) return createRefusalReply(script.refuseCreate, input);
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

/**
 * A create CometAPI refuses with a 400 before any task exists (nothing is billed): for a content
 * policy reason (with a code, or in the message only, as CometAPI's code may be empty), or a
 * size or seconds the alias does not take, named from the fields sent.
 */
export function createRefusalReply(name: CreateRefusalName, input: CreateInput): Reply {
	switch (name) {
		case 'content-policy':
			return errorReply(
				400,
				'Your request was rejected by the safety system: the prompt may violate the content policy',
				'content_policy_violation',
			);
		case 'policy-message-only':
			return errorReply(
				400,
				"The prompt could not be submitted. This prompt contains words that violate Vertex AI's usage guidelines. Support codes: 29310472",
				'',
			);
		case 'size-for-alias':
			return errorReply(
				400,
				`size ${input.size || '16x9'} is not supported by model ${input.model}`,
				'invalid_request',
			);
		case 'seconds-for-alias':
			return errorReply(
				400,
				`seconds ${input.seconds || '4'} is not supported by model ${input.model}: it makes 8 second clips`,
				'invalid_request',
			);
	}
}

/** Checks a POST /v1/videos body the way CometAPI's docs describe it; a string is the 400 message. */
export function readCreateRequest(
	body: Exchange['body'],
	checkImages: boolean,
): CreateInput | string {
	if (body.kind === 'raw') return 'Content-Type must be multipart/form-data';
	if (body.kind === 'bad-multipart') return `Invalid multipart/form-data body: ${body.message}`;
	const { fields, files } = body;

	const stray = files.find((file) => file.field !== REFERENCE_FIELD);
	if (stray)
		return `Unexpected file field "${stray.field}": only ${REFERENCE_FIELD} may carry a file`;
	if (REFERENCE_FIELD in fields) return `${REFERENCE_FIELD} must be a file part, not a text field`;
	if (files.length > MAX_REFERENCES)
		return `At most ${MAX_REFERENCES} ${REFERENCE_FIELD} files are allowed (first frame, then last frame)`;
	const notImage = checkImages ? files.find((file) => !isImage(file.data)) : undefined;
	if (notImage) return `${REFERENCE_FIELD} "${notImage.filename}" is not a supported image`;

	const prompt = fields.prompt ?? '';
	if (prompt.trim() === '') return 'prompt is required';
	const size = fields.size ?? '';
	if (size !== '' && !VALID_SIZES.includes(size))
		return `size must be one of ${VALID_SIZES.join(', ')}`;
	const seconds = fields.seconds ?? '';
	if (seconds !== '' && !VALID_SECONDS.includes(seconds))
		return `seconds must be one of ${VALID_SECONDS.join(', ')}`;
	const model = (fields.model ?? '').trim() || DEFAULT_MODEL;

	return { prompt, model, size, seconds, references: files.length };
}

// What CometAPI is assumed to accept as a frame: the common web image formats, by magic bytes.
const SIGNATURES: Array<{ offset: number; bytes: number[] }> = [
	{ offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // PNG
	{ offset: 0, bytes: [0xff, 0xd8, 0xff] }, // JPEG
	{ offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF
	{ offset: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // WebP (after RIFF....)
];

export function isImage(data: Buffer): boolean {
	return SIGNATURES.some(({ offset, bytes }) =>
		bytes.every((byte, i) => data[offset + i] === byte),
	);
}
