/** A generated seed: vendor-native rows put into the seed layout, written with its scenario.json. */
import { SEED_FILES, writeSeed } from '../core/seed';
import type { Seed } from '../core/seed';
import { writeScenario } from '../scenario';
import type { Scenario } from '../scenario';

export type Row = Record<string, unknown>;

export interface GeneratedSeed {
	seed: Seed;
	scenario: Scenario;
}

/** Puts rows into whichever seed files the seed layout knows (timeEntries only if listed). */
export function setRows(seed: Seed, vendor: keyof Seed, file: string, rows: Row[]): void {
	const files = SEED_FILES[vendor] as readonly string[];
	if (!files.includes(file)) return;
	(seed[vendor] as Record<string, unknown[]>)[file] = rows;
}

/** Writes a generated seed (every file of the layout, plus scenario.json) to a folder. */
export function writeGeneratedSeed(directory: string, generated: GeneratedSeed): void {
	writeSeed(directory, generated.seed);
	writeScenario(directory, generated.scenario);
}
