// Public types of the CometAPI simulator. Everything a test configures or reads is here.

export type ClockMode = 'poll' | 'time' | 'manual';

export interface SimulatorOptions {
	/** The only key the API accepts. Default 'sk-test-simulator-key'. */
	apiKey?: string;
	/**
	 * What moves a task through its steps. Default 'poll'.
	 * - poll: the create answer and every GET /v1/videos/{id} answer show the current step,
	 *   then the task moves one step (create = step 0, 1st GET = step 1, 2nd GET = step 2...).
	 * - time: step = floor(ms since create / stepMs).
	 * - manual: only advance() moves a task.
	 */
	clock?: ClockMode;
	/** Clock 'time': milliseconds per step. Default 1000. */
	stepMs?: number;
	/** Reject input_reference parts whose bytes are not PNG, JPEG, WebP or GIF. Default true. */
	checkImages?: boolean;
}

export type ServerName = 'api' | 'video';

export interface RecordedFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface RecordedRequest {
	/** 1-based arrival order across both servers (restarts at 1 after reset()). */
	seq: number;
	/** When it arrived (ms since the epoch): for benchmarks, never for test assertions. */
	at: number;
	server: ServerName;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-cased names, as received. */
	headers: Record<string, string>;
	/** Multipart text fields (last one wins on a repeated name). */
	fields: Record<string, string>;
	/** Multipart file parts, in the order received. */
	files: RecordedFile[];
	/** Raw body of a request that was not multipart (empty otherwise). */
	body: Buffer;
	/** What the simulator answered; absent when the socket was destroyed instead. */
	status?: number;
	/** The task this request created or touched. */
	taskId?: string;
	/** The injected fault that shaped this answer, if any. */
	fault?: FaultKind;
	/** True once every byte of the answer's body was written and the answer ended; absent when it was cut, reset or never sent. */
	sentWhole?: true;
}

export interface TaskStep {
	status: string;
	progress: number;
}

/** Named failure words of a failed task; retrieve.ts holds their code and message. */
export type FailureReasonName =
	| 'content-policy'
	| 'veo-usage-guidelines'
	| 'veo-image-guidelines'
	| 'rai-filtered'
	| 'moderation'
	| 'generation-failed'
	| 'unknown-words';

/** Named create refusals; create.ts builds their 400 answers. */
export type CreateRefusalName =
	| 'content-policy'
	| 'policy-message-only'
	| 'size-for-alias'
	| 'seconds-for-alias';

/** Bytes generated on the fly (deterministic, never held in memory whole). */
export interface GeneratedVideo {
	size: number;
}

export type VideoSource = Buffer | GeneratedVideo;

export interface TaskScript {
	/**
	 * The positions a task goes through; the LAST one is the terminal position.
	 * Default: queued 0, in_progress 50, completed 100.
	 */
	steps: TaskStep[];
	/** 'never': the task stops one step before the last and stays there forever. */
	outcome: 'completed' | 'failed' | 'never';
	/**
	 * Shape of a failed task: error:{code,message}; error:'text'; fail_reason:'text'
	 * (these three with status 'failed'); or status 'error' with an error object; or
	 * 'rai-filtered': status 'failed', error:{message} and Google's own raiMediaFilteredCount and
	 * raiMediaFilteredReasons passed through (support codes), as a relay of Veo may answer.
	 */
	failure: 'error-object' | 'error-string' | 'fail_reason' | 'status-error' | 'rai-filtered';
	/**
	 * The words a failed task gives (see FAILURE_REASONS): a content refusal in CometAPI's or
	 * Veo's words, or a failure for another reason. Default 'content-policy'.
	 */
	failureReason?: FailureReasonName;
	/**
	 * The create is refused with a 400 in CometAPI's envelope and no task is made (nothing
	 * billed): for a content policy reason, or a size or seconds the alias does not take.
	 */
	refuseCreate?: CreateRefusalName;
	/** Casing of every status string answered; 'title' turns in_progress into In_Progress. */
	statusCase: 'lower' | 'upper' | 'title';
	/** Replaces the terminal status name, e.g. 'succeeded' for completed, 'cancelled' for failed. */
	terminalStatusName?: string;
	/** Where the URL of a completed task points: the video host, the API's /content route, or absent. */
	videoUrl: 'video-host' | 'api-content' | 'none';
	/** Field that holds the URL; 'data' means data:[{url}]. */
	urlField: 'video_url' | 'url' | 'output' | 'data';
	/** How GET /v1/videos/{id}/content answers once completed. */
	content: 'bytes' | 'redirect' | 'json-url';
	/** Default: dev/fixtures/sample.mp4. { size } generates deterministic bytes on the fly. */
	video: VideoSource;
	/** Shorthand for video: { size: videoSize }; wins over video when set. */
	videoSize?: number;
	/** Add task_id equal to id. */
	withTaskId: boolean;
	/** Model shown in answers. Default: the alias resolved, e.g. veo3-fast -> veo_3-fast. */
	resolvedModel?: string;
	/** Add expires_at (unix seconds) to completed answers. */
	expiresAt: boolean;
}

export type ScriptSource = Partial<TaskScript> | ((req: RecordedRequest) => Partial<TaskScript>);

export type FaultKind =
	| 'status'
	| 'reset-before'
	| 'accept-then-reset'
	| 'accept-then-500'
	| 'reset-mid-body'
	| 'short-body'
	| 'html-301'
	| 'delay'
	| 'gzip'
	| 'slow-body'
	| 'empty-body'
	| 'redirect'
	| 'not-json'
	| 'not-found';

/**
 * How a fault shapes one request. Before routing, touching no state: 'reset-before' (drop the
 * connection), 'status', 'html-301', 'redirect' (302 to the same video on the video host),
 * 'not-json' (200 with an HTML page, as a proxy might), 'not-found' (the 404 retrieve answers
 * for an unknown task, as right after a create). After routing, so a create is accepted (billed):
 * 'accept-then-reset', 'accept-then-500', and the ways the route's answer can go out:
 * 'reset-mid-body' (half, then a reset), 'short-body' (half, then the end), 'empty-body'
 * (Content-Length 0), 'gzip' (Content-Encoding gzip, Content-Length of the compressed bytes),
 * 'slow-body' (in pieces with pauses). 'delay' waits, then answers normally.
 */
export interface FaultSpec {
	/** Every given part must match; path is tested against the path without the query. */
	match: { method?: string; path?: RegExp; server?: ServerName };
	/** How many matching requests this fault shapes. Default 1. */
	times?: number;
	kind: FaultKind;
	/** kind 'status': the status to answer. */
	status?: number;
	/** kind 'status': sent as the Retry-After header. */
	retryAfter?: string;
	/** kinds 'status', 'accept-then-500', 'html-301': raw body instead of the default one. */
	body?: string;
	/** kinds 'status', 'accept-then-500': envelope code instead of the default one for the status. */
	code?: string;
	/** kind 'delay': how long to wait before proceeding normally; kind 'slow-body': the pause between pieces (default 20). */
	delayMs?: number;
	/** kind 'slow-body': how many pieces the body is sent in (default 4). */
	pieces?: number;
}

/** A fault drawn for one request: match and times do not apply. */
export type DrawnFault = Omit<FaultSpec, 'match' | 'times'>;

/** Called for every request no queued fault shapes, once its body is read (a create's fields are known). */
export type FaultPicker = (request: RecordedRequest) => DrawnFault | undefined;

export interface SimTask {
	id: string;
	/** seq of the create request. */
	createSeq: number;
	/** Unix seconds, as answered in created_at. */
	createdAt: number;
	createdMs: number;
	prompt: string;
	/** The model field as sent (or the default veo3-fast). */
	requestedModel: string;
	/** The model shown in answers. */
	model: string;
	/** As answered: the size sent or '16x9'. */
	size: string;
	/** As answered: the seconds sent or ''. */
	seconds: string;
	/** Number of input_reference parts. */
	references: number;
	script: TaskScript;
	/** Steps moved by polls (clock 'poll') and advance(); clock 'time' adds elapsed steps. */
	advancedBy: number;
	/** Unix seconds when the task was first seen completed. */
	completedAt?: number;
}

export interface CometApiSimulator {
	/** 'http://127.0.0.1:<port>', no trailing slash. */
	baseUrl: string;
	/** Origin of the video host, on another host name than baseUrl. */
	videoHostUrl: string;
	apiKey: string;
	/** Every request to either server, in arrival order. */
	requests: RecordedRequest[];
	tasks: Map<string, SimTask>;
	/** How the NEXT created tasks behave; a function is called for every create. */
	script(next: ScriptSource): void;
	/** Queue an injected fault. */
	fault(f: FaultSpec): void;
	/** Draw a fault for each request that no queued fault shapes (a soak's random faults); undefined stops drawing. */
	faultsBy(picker: FaultPicker | undefined): void;
	/** How the public catalogue GET /api/models prices Veo from now on (reset: 'documented'). */
	catalogue(kind: import('./models').CatalogueKind): void;
	/** Move one task (or all) forward; works with every clock. Default 1 step. */
	advance(taskId?: string, steps?: number): void;
	/** Clear records, tasks, scripts, faults and the fault picker. */
	reset(): void;
	/** Every request but the public catalogue's (GET /api/models, read once per Create run). */
	calls(): RecordedRequest[];
	/** Recorded POST /v1/videos requests, accepted or not. */
	creates(): RecordedRequest[];
	requestsFor(taskId: string): RecordedRequest[];
	/** Largest number of jobs whose [create seq, last seq touching it] intervals overlap. */
	maxJobsInFlight(): number;
	close(): Promise<void>;
}
