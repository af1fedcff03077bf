// The words CometAPI and the providers behind it use when a safety or content filter refused a
// job. Matched on whole words only ("raise" is not "rai", "moderately" is not "moderation"),
// case-insensitively, on a bounded slice of each text. Sources: Google's Veo responsible-AI
// page and SDK types (raiMediaFilteredReasons, "violate ... usage guidelines", "Support
// codes"), OpenAI's image and video APIs (moderation_blocked, "safety system", Sora's
// input_moderation / output_moderation), fal's error reference (content_policy_violation,
// "flagged by a content checker"), Kling ("risk control"), Runway (SAFETY.INPUT.TEXT).

/** Longest slice of one text that is looked at: a huge answer costs no more than this. */
export const MAX_TEXT_CHARS = 2000;

/** Words that name a content refusal in any text, a code or a message. */
const STRONG = [
	'content polic(?:y|ies)',
	'polic(?:y|ies) violations?',
	'violat(?:e|es|ed|ing|ion|ions)(?: [a-z0-9]+){0,6} (?:polic(?:y|ies)|guidelines?|terms)',
	'usage (?:guidelines?|polic(?:y|ies))',
	'acceptable use',
	'prohibited',
	'responsible ai',
	'rai',
	// Not when "safety" names a parameter: "enable_safety_checker cannot be disabled".
	'safety(?! (?:checker|tolerance|level|identifier|settings?|threshold|filter level|attributes?) )',
	'moderat(?:ion|ions|ed)',
	'nsfw',
	'celebrit(?:y|ies)',
	'likeness',
	'(?:prominent|public|real) (?:people|persons?|figures?)',
	'(?:person|people|child|children|minors?) generation(?: [a-z0-9]+){0,4} (?:not allowed|disallowed|blocked|restricted|not permitted|allowlist(?:ed)?|allow list)',
	'photorealistic (?:child|children|minors?|people|persons?)',
	'sensitive (?:content|words?|information|images?|prompts?)',
	'risk control',
	'content (?:checker|filters?|safety|violations?)',
	'harmful content',
	'inappropriate',
];

/** Words that say so too, but are too plain for a 403 (where "blocked" may be the account). */
const PLAIN = ['blocked', 'filtered', 'flagged', 'censored', 'unsafe'];

/** Category names that appear as codes (Google's RAI reasons, fal's categories), not in prose. */
const CATEGORIES = [
	'sexual(?:ly)?',
	'explicit',
	'violen(?:ce|t)',
	'hate',
	'harassment',
	'self harm',
	'dangerous content',
	'toxic',
	'derogatory',
	'vulgar',
	'csam',
];

// The filter itself failed ("content policy service timed out"): not a refusal of the job.
const INFRASTRUCTURE = [
	'timed out',
	'time out',
	'timeout',
	'unavailable',
	'internal (?:server )?error',
	'service error',
	'temporarily',
	'overloaded',
	'unreachable',
];

// Chinese relays word it in Chinese: violation, prohibited, sensitive, review failed.
const CJK = /违规|违禁|敏感|审核未通过|审核不通过|内容安全/;

const INVALID_CODES = [
	'invalid (?:request|argument|arguments|parameters?|params?|input)',
	'bad request',
	'validation (?:error|failed)',
];

const anyOf = (words: string[]): RegExp => new RegExp(` (?:${words.join('|')}) `);
const STRONG_WORDS = anyOf(STRONG);
const PLAIN_WORDS = anyOf(PLAIN);
const CATEGORY_WORDS = anyOf(CATEGORIES);
const INFRASTRUCTURE_WORDS = anyOf(INFRASTRUCTURE);
const INVALID_WORDS = anyOf(INVALID_CODES);

/**
 * A text as space-separated lower-case words, padded with a space at each end:
 * `contentPolicyViolation`, `CONTENT_POLICY_VIOLATION` and `content-policy violation` all
 * read ` content policy violation `. CometAPI's `(request id: ...)` is dropped first, so a
 * random id can never spell a word.
 */
export function wordsOf(text: string): string {
	const words = text
		.slice(0, MAX_TEXT_CHARS)
		.replace(/\(request id:[^)]*\)/gi, ' ')
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
	return ` ${words} `;
}

export interface RefusalWords {
	/** Error codes, types and RAI reasons: category names count here. */
	codes: string[];
	/** Prose: a message, a fail_reason. */
	messages: string[];
}

/**
 * Whether the words say a content filter refused the job, and how plainly; the first word
 * that said so comes back for the record. `plain` words count only where the caller allows.
 */
export function refusalWordOf(
	{ codes, messages }: RefusalWords,
	allowPlain: boolean,
): string | undefined {
	const texts = [
		...codes.map((text) => ({ text, isCode: true })),
		...messages.map((text) => ({ text, isCode: false })),
	];
	if (texts.some(({ text }) => INFRASTRUCTURE_WORDS.test(wordsOf(text)))) return undefined;
	for (const { text, isCode } of texts) {
		const words = wordsOf(text);
		const found =
			STRONG_WORDS.exec(words) ??
			(allowPlain ? PLAIN_WORDS.exec(words) : null) ??
			(isCode ? CATEGORY_WORDS.exec(words) : null);
		if (found) return found[0].trim();
		const cjk = CJK.exec(text.slice(0, MAX_TEXT_CHARS));
		if (cjk) return cjk[0];
	}
	return undefined;
}

/** A code that says the request itself was invalid (`invalid_request`, `INVALID_ARGUMENT`). */
export function isInvalidCode(code: string): boolean {
	return INVALID_WORDS.test(wordsOf(code));
}
