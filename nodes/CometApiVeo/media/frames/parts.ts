import type FormData from 'form-data';
import type { IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import type { Frame } from './image';
import { extensionFor } from './image';

/** The part every frame is sent as. */
export const FRAME_PART = 'input_reference';

/**
 * Adds the frames as `input_reference` parts, in order, each named by the node: frame-1.png,
 * frame-2.jpg (position and sniffed type). A file name goes into the part's header, which the
 * host n8n's form-data writes (1.x's unescaped): no upstream file name or URL path gets there.
 * Frames held on disk by n8n's binary store are streamed from there; only inline (base64)
 * frames are decoded into memory.
 */
export async function appendFrames(
	this: IExecuteFunctions,
	form: FormData,
	frames: Frame[],
): Promise<void> {
	for (const [index, frame] of frames.entries()) {
		const filename = `frame-${index + 1}.${extensionFor(frame.mimeType)}`;
		const options = { filename, contentType: frame.mimeType };
		if (frame.binary.id) {
			const stream = await this.helpers.getBinaryStream(frame.binary.id);
			form.append(FRAME_PART, stream, { ...options, knownLength: frame.storedSize });
		} else {
			form.append(FRAME_PART, Buffer.from(frame.binary.data, BINARY_ENCODING), options);
		}
	}
}
