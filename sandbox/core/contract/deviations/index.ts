/**
 * THE list of known differences between a vendor's published API document (sandbox/specs/) and
 * the vendor's live behaviour. The sandbox follows the live behaviour; the contract checker
 * (../index.ts) reads this list and nothing else to know where the document is not the truth.
 *
 * One entry per difference: which vendor, which route, what differs, why the live behaviour
 * wins, and where it is documented. Add an entry to the vendor's file here (never a special case in the checker)
 * when a vendor sandbox meets a new difference.
 *
 * Paths are written as in the vendor's document, relative to its base path (Autotask
 * `/V1.0/...`, ConnectWise `/company/...`, Graph `/users...`, Datto `/v2/...`), matched
 * case-insensitively; `{name}` matches one path segment and `*` matches every path. Routes that
 * live outside the base path (token endpoints, ConnectWise login/companyinfo) are written as
 * sent, e.g. `/auth/oauth/token`.
 *
 * Schemas inside an entry are JSON Schema in the dialect of the vendor's document and may `$ref`
 * the document's own schemas (`#/definitions/...` for Autotask, `#/components/schemas/...`
 * for the others).
 */
import { AUTOTASK_DEVIATIONS } from './autotask';
import { CONNECTWISE_DEVIATIONS } from './connectwise';
import { DATTO_DEVIATIONS } from './datto';
import { GRAPH_DEVIATIONS } from './graph';
import type { ContractDeviation } from './types';

export type { ContractDeviation, DeviationEffect, JsonSchema } from './types';

export const CONTRACT_DEVIATIONS: ContractDeviation[] = [
	...AUTOTASK_DEVIATIONS,
	...CONNECTWISE_DEVIATIONS,
	...GRAPH_DEVIATIONS,
	...DATTO_DEVIATIONS,
];
