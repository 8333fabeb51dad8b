import type { IDataObject } from 'n8n-workflow';

import type { Outcome, OutputName } from '../../../lib/alerts/outcome';
import type { RoutedJson, RunItemsOptions } from '../../shared/items';

/** The node's outputs, in order: one per kind of outcome. */
export const OUTPUT_NAMES = ['Created', 'Updated', 'Completed', 'Skipped'];

const OUTPUT_INDEX: Record<OutputName, number> = {
	created: 0,
	updated: 1,
	completed: 2,
	skipped: 3,
};

/** An outcome as an item of its output. */
export function routed(result: Outcome): RoutedJson {
	return { json: result.json as IDataObject, output: OUTPUT_INDEX[result.output] };
}

/** How every operation emits its items: four outputs, errors (continueOnFail) to Skipped. */
export function outputOptions(secrets: () => string[]): Omit<RunItemsOptions, 'concurrency'> {
	return { outputs: OUTPUT_NAMES.length, errorOutput: OUTPUT_INDEX.skipped, secrets };
}
