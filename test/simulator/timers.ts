/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test-side server: the community-node rules bind the shipped node, not this */
/** Sleeps that close() can cancel, so no timer outlives the simulator (jest open handles). */
export class Timers {
	private pending = new Map<NodeJS.Timeout, () => void>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve();
			}, ms);
			this.pending.set(timer, resolve);
		});
	}

	/** Clears every pending sleep and resolves it; callers check whether the socket still lives. */
	cancelAll(): void {
		for (const [timer, resolve] of this.pending) {
			clearTimeout(timer);
			resolve();
		}
		this.pending.clear();
	}
}
