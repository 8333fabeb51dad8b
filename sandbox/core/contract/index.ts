/**
 * The contract check: every request the package sends to the sandbox and every answer the
 * sandbox gives is validated against the vendors' own API documents in sandbox/specs/, read
 * through the one list of known live-behaviour differences (./deviations/).
 *
 * Validation is Ajv over the documents' schemas: Swagger 2.0 (Autotask) and OpenAPI 3.0
 * (ConnectWise, Graph) with the draft-07 validator, OpenAPI 3.1 (Datto) with the 2020-12 one.
 * Each operation's validators are compiled once, on first use, and shared by every sandbox in
 * the process. The checker records violations and never changes an answer.
 */
import type { ContractChecker } from '../http';
import type { SandboxRequest, SandboxResponse, SandboxVendor } from '../types';
import { CONTRACT_DEVIATIONS } from './deviations';
import type { ContractDeviation } from './deviations';
import { VendorContract } from './vendorContract';

export interface ContractViolation {
	vendor: SandboxVendor;
	direction: 'request' | 'response';
	method: string;
	path: string;
	template?: string;
	status?: number;
	/** The document operation (or deviation) the exchange was checked against. */
	operation?: string;
	errors: string[];
}

export interface ContractCheckerOptions {
	/** The deviation list (default: CONTRACT_DEVIATIONS). Tests pass their own. */
	deviations?: ContractDeviation[];
	/** Keep at most this many violations (default 1,000); the rest are only counted in `dropped`. */
	maxViolations?: number;
}

export type SandboxContractChecker = ContractChecker & {
	violations: ContractViolation[];
	/** Violations beyond maxViolations, counted but not kept. */
	dropped: number;
};

/** Sandbox control routes (raise an alert, deliver a webhook...) are no vendor's API. */
const SANDBOX_CONTROL_PREFIX = /^\/_sandbox(\/|$)/i;

const contracts = new WeakMap<ContractDeviation[], Map<SandboxVendor, VendorContract>>();

function contractFor(vendor: SandboxVendor, deviations: ContractDeviation[]): VendorContract {
	let byVendor = contracts.get(deviations);
	if (!byVendor) {
		byVendor = new Map();
		contracts.set(deviations, byVendor);
	}
	let contract = byVendor.get(vendor);
	if (!contract) {
		contract = new VendorContract(vendor, deviations);
		byVendor.set(vendor, contract);
	}
	return contract;
}

/**
 * Checks one exchange (the request as received, the answer as given) and returns what does not
 * hold, as zero, one (request or response) or two violations.
 */
export function checkExchange(
	vendor: SandboxVendor,
	request: SandboxRequest,
	response: SandboxResponse,
	template?: string,
	deviations: ContractDeviation[] = CONTRACT_DEVIATIONS,
): ContractViolation[] {
	if (SANDBOX_CONTROL_PREFIX.test(request.path)) return [];
	const contract = contractFor(vendor, deviations);
	const relative = contract.relativePath(request.path);
	const base = { vendor, method: request.method, path: request.path, template };
	const resolution = contract.resolve(request.method, relative);
	if ('error' in resolution) {
		return [{ ...base, direction: 'request', status: response.status, errors: [resolution.error] }];
	}
	const violations: ContractViolation[] = [];
	const operation = resolution.operation.label;
	const requestErrors = contract.checkRequest(request, resolution, relative);
	if (requestErrors.length)
		violations.push({ ...base, direction: 'request', operation, errors: requestErrors });
	const responseErrors = contract.checkResponse(
		response,
		resolution,
		relative,
		request.method,
		request.query,
	);
	if (responseErrors.length)
		violations.push({
			...base,
			direction: 'response',
			status: response.status,
			operation,
			errors: responseErrors,
		});
	return violations;
}

/**
 * Validates a value against one of a vendor document's named schemas (Autotask
 * `#/definitions/<name>`, the others `#/components/schemas/<name>`), read through the listed
 * deviations. `direction: 'response'` (default) is how the sandbox serves records.
 */
export function validateSchema(
	vendor: SandboxVendor,
	name: string,
	value: unknown,
	direction: 'request' | 'response' = 'response',
	deviations: ContractDeviation[] = CONTRACT_DEVIATIONS,
): string[] {
	return contractFor(vendor, deviations).validateSchema(name, value, direction);
}

export function createContractChecker(
	options: ContractCheckerOptions = {},
): SandboxContractChecker {
	const deviations = options.deviations ?? CONTRACT_DEVIATIONS;
	const maxViolations = options.maxViolations ?? 1000;
	const checker: SandboxContractChecker = {
		violations: [],
		dropped: 0,
		check(
			vendor: SandboxVendor,
			request: SandboxRequest,
			response: SandboxResponse,
			template: string | undefined,
		) {
			let found: ContractViolation[];
			try {
				found = checkExchange(vendor, request, response, template, deviations);
			} catch (error) {
				found = [
					{
						vendor,
						direction: 'request',
						method: request.method,
						path: request.path,
						template,
						status: response.status,
						errors: [`the contract check itself failed: ${(error as Error).message}`],
					},
				];
			}
			for (const violation of found) {
				if (checker.violations.length < maxViolations) checker.violations.push(violation);
				else checker.dropped++;
			}
		},
	};
	return checker;
}

/** A readable listing for test failure messages. */
export function describeViolations(violations: ContractViolation[]): string {
	return violations
		.map(
			(violation) =>
				`${violation.vendor} ${violation.direction} ${violation.method} ${violation.path}` +
				`${violation.status !== undefined ? ` -> ${violation.status}` : ''}` +
				`${violation.operation ? ` [${violation.operation}]` : ''}\n  ${violation.errors.join('\n  ')}`,
		)
		.join('\n');
}
