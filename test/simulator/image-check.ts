// What CometAPI is assumed to accept as a frame: the common web image formats, by magic bytes.
const SIGNATURES: Array<{ offset: number; bytes: number[] }> = [
	{ offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // PNG
	{ offset: 0, bytes: [0xff, 0xd8, 0xff] }, // JPEG
	{ offset: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF
	{ offset: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // WebP (after RIFF....)
];

export function isImage(data: Buffer): boolean {
	return SIGNATURES.some(({ offset, bytes }) => bytes.every((byte, i) => data[offset + i] === byte));
}
