import { DEFAULT_MODEL } from './models';
import { isImage } from './image-check';
import type { ParsedBody } from './multipart';

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

/** Checks a POST /v1/videos body the way CometAPI's docs describe it; a string is the 400 message. */
export function readCreateRequest(body: ParsedBody, checkImages: boolean): CreateInput | string {
	if (body.kind === 'raw') return 'Content-Type must be multipart/form-data';
	if (body.kind === 'bad-multipart') return `Invalid multipart/form-data body: ${body.message}`;
	const { fields, files } = body;

	const stray = files.find((file) => file.field !== REFERENCE_FIELD);
	if (stray) return `Unexpected file field "${stray.field}": only ${REFERENCE_FIELD} may carry a file`;
	if (REFERENCE_FIELD in fields) return `${REFERENCE_FIELD} must be a file part, not a text field`;
	if (files.length > MAX_REFERENCES) return `At most ${MAX_REFERENCES} ${REFERENCE_FIELD} files are allowed (first frame, then last frame)`;
	const notImage = checkImages ? files.find((file) => !isImage(file.data)) : undefined;
	if (notImage) return `${REFERENCE_FIELD} "${notImage.filename}" is not a supported image`;

	const prompt = fields.prompt ?? '';
	if (prompt.trim() === '') return 'prompt is required';
	const size = fields.size ?? '';
	if (size !== '' && !VALID_SIZES.includes(size)) return `size must be one of ${VALID_SIZES.join(', ')}`;
	const seconds = fields.seconds ?? '';
	if (seconds !== '' && !VALID_SECONDS.includes(seconds)) return `seconds must be one of ${VALID_SECONDS.join(', ')}`;
	const model = (fields.model ?? '').trim() || DEFAULT_MODEL;

	return { prompt, model, size, seconds, references: files.length };
}
