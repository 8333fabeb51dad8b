/**
 * The rules a write to ConnectWise's service desk goes through: a ticket's required fields, string
 * limits and references (board, status, type, subtype, item, priority, source, closed state), a
 * configuration's and a callback's. Each checks a draft, fills in its references and defaults, and
 * returns the problems found. The desk that stores the rows: service.ts.
 */
import { CALLBACK_TYPES, TICKET_CALLBACK_LEVELS } from './callbackPayload';
import { fieldError } from './errors';
import type { FieldProblem } from './errors';
import { schemaLimits, schemaProperties, schemaRequired } from './fields';
import { findRef, now, ref } from './serviceRows';
import type { Member, Reference, ServiceDeps, ServiceRow } from './serviceRows';

const TICKET_LIMITS = schemaLimits('Ticket');
const TICKET_PROPERTIES = new Set(schemaProperties('Ticket'));
const CONFIGURATION_LIMITS = schemaLimits('Company.Configuration');
const CONFIGURATION_PROPERTIES = new Set(schemaProperties('Company.Configuration'));
const CALLBACK_LIMITS = schemaLimits('CallbackEntry');
const CALLBACK_PROPERTIES = new Set(schemaProperties('CallbackEntry'));
const SEVERITY = ['Low', 'Medium', 'High'];

/** What the rules read of the service desk: its lists and its board look-ups. */
export interface ServiceCatalog {
	boards: ServiceRow[];
	boardStatuses: ServiceRow[];
	boardTypes: ServiceRow[];
	boardSubTypes: ServiceRow[];
	boardItems: ServiceRow[];
	priorities: ServiceRow[];
	sources: ServiceRow[];
	configurationTypes: ServiceRow[];
	ofBoard(rows: ServiceRow[], boardId: unknown): ServiceRow[];
	defaultStatusOf(boardId: unknown): ServiceRow | undefined;
}

/**
 * Checks a ticket draft and fills in its references (names, defaults, closed state); returns
 * the problems found. `previous` is the stored ticket on an update.
 */
export function prepareTicket(
	desk: ServiceCatalog,
	deps: ServiceDeps,
	draft: ServiceRow,
	member: Member,
	previous?: ServiceRow,
): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const problem = (field: string, message: string, code = 'InvalidField') =>
		problems.push(fieldError('ticket', field, code, message));
	for (const key of Object.keys(draft)) if (!TICKET_PROPERTIES.has(key)) delete draft[key];

	if (typeof draft.summary !== 'string' || !draft.summary.trim())
		problem('summary', 'The summary field is required.', 'NullOrEmpty');
	for (const [field, max] of Object.entries(TICKET_LIMITS)) {
		const value = draft[field];
		if (typeof value === 'string' && value.length > max)
			problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
	}
	const company = draft.company ? deps.companyFor(draft.company) : undefined;
	if (!draft.company) problem('company', 'The company field is required.', 'NullOrEmpty');
	else if (!company) problem('company', 'The company was not found.');
	else draft.company = { id: company.id, identifier: company.identifier, name: company.name };
	if (draft.contact && !deps.contactExists((draft.contact as Reference).id))
		problem('contact', 'The contact was not found.');

	// Board first: statuses, types, subtypes and items are the board's own.
	const board = draft.board
		? findRef(desk.boards, draft.board)
		: desk.boards.find((row) => row.inactiveFlag !== true && row.projectFlag !== true);
	if (!board || board.inactiveFlag === true) {
		problem(
			'board',
			draft.board ? 'The board was not found or is inactive.' : 'No service board exists.',
		);
		return problems;
	}
	draft.board = ref(board);
	const boardChanged =
		previous !== undefined &&
		Number((previous.board as Reference | undefined)?.id) !== Number(board.id);

	// A status named in the write must be the board's and active; none named keeps the ticket's
	// (or, for a new ticket or one moved to another board, takes the board's default).
	const statuses = desk.ofBoard(desk.boardStatuses, board.id);
	const statusGiven = previous
		? JSON.stringify(draft.status) !== JSON.stringify(previous.status)
		: draft.status !== undefined && draft.status !== null;
	let status: ServiceRow | undefined;
	if (statusGiven) {
		status = findRef(statuses, draft.status);
		if (!status) problem('status', `The status is not valid for board ${String(board.name)}.`);
		else if (status.inactive === true) problem('status', 'The status is inactive.');
	} else if (previous && !boardChanged) {
		status = findRef(statuses, previous.status) ?? desk.defaultStatusOf(board.id);
	} else {
		status = desk.defaultStatusOf(board.id);
		if (!status) problem('status', `Board ${String(board.name)} has no open status.`);
	}
	if (status) draft.status = { id: status.id, name: status.name, sort: status.sortOrder ?? 0 };

	const type = boardChild(desk, draft, 'type', desk.boardTypes, board, problem);
	const subType = boardChild(desk, draft, 'subType', desk.boardSubTypes, board, problem);
	boardChild(desk, draft, 'item', desk.boardItems, board, problem);
	if (type && subType && subType.addAllTypesFlag !== true) {
		const allowed = (subType.typeAssociationIds ?? []) as unknown[];
		if (!allowed.map(Number).includes(Number(type.id)))
			problem(
				'subType',
				`The subtype ${String(subType.name)} is not valid for type ${String(type.name)}.`,
			);
	}

	const priority = draft.priority
		? findRef(desk.priorities, draft.priority)
		: desk.priorities.find((row) => row.defaultFlag === true);
	if (draft.priority && !priority) problem('priority', 'The priority was not found.');
	if (priority)
		draft.priority = { id: priority.id, name: priority.name, sort: priority.sortOrder ?? 0 };
	const source = draft.source
		? findRef(desk.sources, draft.source)
		: desk.sources.find((row) => row.defaultFlag === true);
	if (draft.source && !source) problem('source', 'The source was not found.');
	if (source) draft.source = ref(source);

	for (const field of ['severity', 'impact']) {
		draft[field] ??= 'Medium';
		if (!SEVERITY.includes(String(draft[field])))
			problem(field, `The ${field} must be Low, Medium or High.`);
	}
	draft.recordType ??= 'ServiceTicket';
	if (draft.integratorTags !== undefined && !Array.isArray(draft.integratorTags))
		problem('integratorTags', 'integratorTags must be an array of strings.');

	// Closed follows the status.
	const closed = status?.closedStatus === true;
	const wasClosed = previous?.closedFlag === true;
	draft.closedFlag = closed;
	if (closed && !wasClosed) {
		draft.closedDate = now();
		draft.closedBy = member.identifier;
	} else if (!closed) {
		delete draft.closedDate;
		delete draft.closedBy;
	} else {
		draft.closedDate = previous?.closedDate;
		draft.closedBy = previous?.closedBy;
	}
	return problems;
}

function boardChild(
	desk: ServiceCatalog,
	draft: ServiceRow,
	field: string,
	rows: ServiceRow[],
	board: ServiceRow,
	problem: (field: string, message: string) => void,
): ServiceRow | undefined {
	if (!draft[field]) return undefined;
	const found = findRef(desk.ofBoard(rows, board.id), draft[field]);
	if (!found || found.inactiveFlag === true) {
		problem(field, `The ${field} is not valid for board ${String(board.name)}.`);
		return undefined;
	}
	draft[field] = ref(found);
	return found;
}

export function prepareConfiguration(
	desk: ServiceCatalog,
	deps: ServiceDeps,
	draft: ServiceRow,
): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const problem = (field: string, message: string, code = 'InvalidField') =>
		problems.push(fieldError('configuration', field, code, message));
	for (const key of Object.keys(draft)) if (!CONFIGURATION_PROPERTIES.has(key)) delete draft[key];
	for (const field of schemaRequired('Company.Configuration')) {
		if (draft[field] === undefined || draft[field] === null || draft[field] === '')
			problem(field, `The ${field} field is required.`, 'NullOrEmpty');
	}
	for (const [field, max] of Object.entries(CONFIGURATION_LIMITS)) {
		const value = draft[field];
		if (typeof value === 'string' && value.length > max)
			problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
	}
	if (draft.company) {
		const company = deps.companyFor(draft.company);
		if (!company) problem('company', 'The company was not found.');
		else draft.company = { id: company.id, identifier: company.identifier, name: company.name };
	}
	if (draft.type) {
		const type = findRef(desk.configurationTypes, draft.type);
		if (!type || type.inactiveFlag === true)
			problem('type', 'The configuration type was not found or is inactive.');
		else draft.type = ref(type);
	}
	draft.activeFlag ??= true;
	draft.status ??= { id: 1, name: 'Active' };
	return problems;
}

export function prepareCallback(draft: ServiceRow): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const problem = (field: string, message: string, code = 'InvalidField') =>
		problems.push(fieldError('callbackEntry', field, code, message));
	for (const key of Object.keys(draft)) if (!CALLBACK_PROPERTIES.has(key)) delete draft[key];
	for (const field of schemaRequired('CallbackEntry')) {
		if (draft[field] === undefined || draft[field] === null || draft[field] === '')
			problem(field, `The ${field} field is required.`, 'NullOrEmpty');
	}
	for (const [field, max] of Object.entries(CALLBACK_LIMITS)) {
		const value = draft[field];
		if (typeof value === 'string' && value.length > max)
			problem(field, `The field ${field} must be a string with a maximum length of ${max}.`);
	}
	if (typeof draft.url === 'string' && !/^https?:\/\/[^/]/i.test(draft.url))
		problem('url', 'The url must be an absolute http or https URL.');
	const type = CALLBACK_TYPES.find(
		(name) => name.toLowerCase() === String(draft.type ?? '').toLowerCase(),
	);
	if (draft.type && !type) problem('type', `The type must be one of ${CALLBACK_TYPES.join(', ')}.`);
	if (
		type === 'Ticket' &&
		draft.level &&
		!(String(draft.level).toLowerCase() in TICKET_CALLBACK_LEVELS)
	)
		problem(
			'level',
			`The level of a ticket callback must be one of Owner, Board, Status, Company, Type, Ticket.`,
		);
	if (draft.objectId !== undefined && !Number.isInteger(draft.objectId))
		problem('objectId', 'The objectId must be a whole number.');
	draft.inactiveFlag ??= false;
	draft.isSoapCallbackFlag ??= false;
	draft.isSelfSuppressedFlag ??= false;
	return problems;
}
