import type { CometApiSimulator, SimulatorOptions } from '../simulator';
import { startSimulator } from '../simulator';
import type { BinaryMode } from './binary-data';
import { useBinaryMode } from './binary-data';

/**
 * One simulator for a test file: started before its tests (after choosing n8n's binary data
 * mode), reset before each test, closed after. `receive` hands it to the file's variable.
 */
export function useSimulator(
	options: { binaryMode?: BinaryMode; simulator?: SimulatorOptions },
	receive: (sim: CometApiSimulator) => void,
): void {
	let sim: CometApiSimulator | undefined;
	beforeAll(async () => {
		if (options.binaryMode) await useBinaryMode(options.binaryMode);
		sim = await startSimulator(options.simulator);
		receive(sim);
	});
	afterAll(async () => await sim?.close());
	beforeEach(() => sim?.reset());
}
