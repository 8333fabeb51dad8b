import {
	communicationTypeRoles,
	connectWiseToCanonical,
	RECOGNIZED_COMMUNICATION_TYPES,
	resolveCommunicationTypes,
} from '../../lib/contacts/connectwise';
import {
	communicationWrites,
	withCommunicationResults,
} from '../../lib/contacts/connectwiseCommunications';
import {
	checkContactInput,
	contactPatch,
	newContactBody,
	planToInput,
} from '../../lib/contacts/connectwiseInput';
import type {
	ConnectWiseCommunicationType,
	ConnectWiseContact,
} from '../../lib/contacts/connectwise';
import {
	chunkEmailLookups,
	cw,
	emailChildConditions,
	encodedLength,
	likeLiteral,
	literal,
	nextLink,
	quote,
} from '../../lib/transport/connectwise';
import { InputError } from '../../lib/transport/http';

const TYPES: ConnectWiseCommunicationType[] = [
	{ id: 1, description: 'Email', emailFlag: true },
	{ id: 2, description: 'Direct', phoneFlag: true },
	{ id: 3, description: 'Cell', phoneFlag: true },
	{ id: 4, description: 'Fax', faxFlag: true },
];
const NAMES = { email: 'Email', phone: 'Direct', mobile: 'Cell' };
const RESOLVED = resolveCommunicationTypes(TYPES, NAMES);

function contact(items: ConnectWiseContact['communicationItems']): ConnectWiseContact {
	return {
		id: 7,
		firstName: 'Ada',
		lastName: 'Lovelace',
		company: { id: 250 },
		communicationItems: items,
	};
}

function thrown(run: () => unknown): InputError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputError);
	return caught as InputError;
}

describe('conditions builder', () => {
	test('quotes escape backslashes and double quotes; apostrophes stay', () => {
		expect(quote("o'brien@contoso.com")).toBe('"o\'brien@contoso.com"');
		expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
		expect(cw.eq('firstName', 'x" OR id > "0')).toBe('firstName = "x\\" OR id > \\"0"');
	});

	test('literals by type; LIKE wildcards escaped; field paths checked', () => {
		expect(literal(true)).toBe('true');
		expect(literal(12)).toBe('12');
		expect(literal(null)).toBe('null');
		expect(literal(new Date('2025-01-02T03:04:05.678Z'))).toBe('[2025-01-02T03:04:05Z]');
		expect(likeLiteral('100%_[x]*')).toBe('100[%][_][[]x][*]');
		expect(cw.contains('lastName', '50%')).toBe('lastName contains "50[%]"');
		expect(() => cw.eq('firstName = "x" or id', 1)).toThrow(RangeError);
		expect(cw.and('a = 1', undefined, '', 'b = 2')).toBe('(a = 1) AND (b = 2)');
		expect(cw.or('a = 1')).toBe('a = 1');
	});

	test('email lookups are chunked by encoded length', () => {
		const emails = Array.from({ length: 200 }, (_, i) => `person.number.${i}@contoso.example`);
		const chunks = chunkEmailLookups(emails);
		expect(chunks.flat()).toEqual(emails);
		for (const chunk of chunks)
			expect(encodedLength(emailChildConditions(chunk))).toBeLessThanOrEqual(1500);
		expect(chunks.length).toBeLessThan(20);
	});

	test('Link headers', () => {
		expect(nextLink('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"')).toBe(
			'https://x/a?page=2',
		);
		expect(nextLink('<https://x/a?page=1>; rel="first"')).toBeUndefined();
		expect(nextLink(undefined)).toBeUndefined();
	});
});

describe('communication types', () => {
	test("a missing or wrong-kind name lists the tenant's types", () => {
		const missing = thrown(() => resolveCommunicationTypes(TYPES, { ...NAMES, mobile: 'Mobile' }));
		expect(missing.field).toBe('Mobile Type Name');
		expect(missing.message).toBe(
			'The communication type "Mobile" does not exist in this ConnectWise tenant. Its types are: Email (email), Direct (phone), Cell (phone), Fax (fax).',
		);
		const wrongKind = thrown(() => resolveCommunicationTypes(TYPES, { ...NAMES, email: 'Direct' }));
		expect(wrongKind.message).toMatch(/"Direct" is a phone type, not an email type/);
		// Only the fields a write uses are checked.
		expect(
			resolveCommunicationTypes(TYPES, { ...NAMES, mobile: 'Mobile' }, ['email']).write.email,
		).toEqual(TYPES[0]);
	});
});

/** A tenant's types as ConnectWise sets them up, Exchange Xref included (required for phone types). */
function tenantTypes(
	mobileName: string,
	xref: { mobile: string; business: string },
): ConnectWiseCommunicationType[] {
	return [
		{ id: 11, description: 'Email', emailFlag: true, defaultFlag: true, exchangeXref: '' },
		{
			id: 12,
			description: 'Direct',
			phoneFlag: true,
			defaultFlag: true,
			exchangeXref: xref.business,
		},
		{ id: 13, description: 'Fax', faxFlag: true, defaultFlag: true, exchangeXref: 'BusinessFax' },
		{ id: 14, description: mobileName, phoneFlag: true, exchangeXref: xref.mobile },
		{ id: 15, description: 'Home', phoneFlag: true, exchangeXref: 'HomeTelephoneNumber' },
		{ id: 16, description: 'Private Email', emailFlag: true, exchangeXref: '' },
	];
}

describe('communication types recognized from the tenant, whatever their names', () => {
	const item = (
		id: number,
		type: ConnectWiseCommunicationType,
		value: string,
		defaultFlag: boolean,
	) => ({
		id,
		type: { id: type.id, name: type.description },
		value,
		defaultFlag,
		communicationType: (type.emailFlag ? 'Email' : 'Phone') as 'Email' | 'Phone',
	});

	test.each([
		['Mobile', { mobile: 'MobileTelephoneNumber', business: 'BusinessTelephoneNumber' }],
		['Cell', { mobile: 'MobilePhone', business: 'BusinessPhone' }],
		['Handy', { mobile: 'MobilePhone', business: 'BusinessPhone' }],
	])('a mobile type named "%s" reads and writes as the mobile', (mobileName, xref) => {
		const types = tenantTypes(mobileName, xref);
		const roles = communicationTypeRoles(types, RECOGNIZED_COMMUNICATION_TYPES);
		expect(roles.ids).toEqual({ email: [11, 16], phone: [12], mobile: [14] });
		expect(roles.write.mobile?.id).toBe(14);
		expect(roles.write.phone?.id).toBe(12);
		expect(roles.write.email?.id).toBe(11);

		// A contact already in sync: its mobile item is recognized, so nothing needs writing.
		const current = contact([
			item(1, types[0], 'ada@contoso.com', true),
			item(2, types[1], '+1 425 555 0100', true),
			item(3, types[3], '+1 425 555 0101', false),
			item(4, types[4], '+1 425 555 0199', false),
		]);
		const canonical = connectWiseToCanonical(current, roles);
		expect(canonical).toMatchObject({ phone: '+1 425 555 0100', mobile: '+1 425 555 0101' });
		// ConnectWise lists the company's name with the contact: plans name it without a read.
		expect(
			connectWiseToCanonical({ ...current, company: { id: 250, name: ' Contoso Ltd ' } }, roles)
				.companyName,
		).toBe('Contoso Ltd');
		expect(canonical.ref).toMatchObject({ typeNames: '||', phoneItemId: 2, mobileItemId: 3 });
		expect(
			communicationWrites(
				current,
				{ email: 'ada@contoso.com', phone: '+14255550100', mobile: '(+1) 425 555-0101' },
				roles,
			),
		).toEqual([]);
		// A new mobile number goes on the tenant's mobile type.
		expect(
			newContactBody(
				{ firstName: 'A', mobile: '4255550102' },
				resolveCommunicationTypes(types, RECOGNIZED_COMMUNICATION_TYPES, ['mobile']),
			),
		).toMatchObject({ communicationItems: [{ type: { id: 14 }, value: '4255550102' }] });
	});

	test('a tenant with no type marked as the mobile: a mobile write fails naming the option and the fix; reading shows no mobile', () => {
		const types = tenantTypes('Mobile', { mobile: '', business: 'BusinessTelephoneNumber' });
		const roles = communicationTypeRoles(types, RECOGNIZED_COMMUNICATION_TYPES);
		expect(roles.ids.mobile).toEqual([]);
		const missing = thrown(() =>
			resolveCommunicationTypes(types, RECOGNIZED_COMMUNICATION_TYPES, ['email', 'mobile']),
		);
		expect(missing.field).toBe('Mobile Type Name');
		expect(missing.message).toContain('is recognized as the mobile');
		expect(missing.description).toContain('Exchange Xref');
		// The name, given as an override, settles it.
		expect(
			resolveCommunicationTypes(types, { ...RECOGNIZED_COMMUNICATION_TYPES, mobile: 'mobile' }, [
				'mobile',
			]).write.mobile?.id,
		).toBe(14);
		expect(connectWiseToCanonical(contact([item(3, types[3], '555', true)]), roles).mobile).toBe(
			'',
		);
	});

	test('several types of one role: all read as it; the default, else the lowest id, is written', () => {
		const types: ConnectWiseCommunicationType[] = [
			{ id: 30, description: 'Mobile 2', phoneFlag: true, exchangeXref: 'Mobile2' },
			{ id: 20, description: 'Work Cell', phoneFlag: true, exchangeXref: 'MobilePhone' },
			{ id: 40, description: 'Office', phoneFlag: true, defaultFlag: true, exchangeXref: 'Other' },
			{
				id: 50,
				description: 'Office 2',
				phoneFlag: true,
				exchangeXref: 'Business2TelephoneNumber',
			},
		];
		const roles = communicationTypeRoles(types, RECOGNIZED_COMMUNICATION_TYPES);
		expect(roles.ids).toEqual({ email: [], phone: [40, 50], mobile: [30, 20] });
		expect(roles.write.mobile?.id).toBe(20);
		expect(roles.write.phone?.id).toBe(40);
		expect(roles.missing.email?.message).toContain('is recognized as the email');
	});
});

describe('canonical mapping', () => {
	test('email = default Email item, phone/mobile by configured type, never defaultPhoneNbr', () => {
		const canonical = connectWiseToCanonical(
			{
				...contact([
					{
						id: 1,
						type: { id: 1, name: 'Email' },
						value: 'Old@Contoso.com',
						defaultFlag: false,
						communicationType: 'Email',
					},
					{
						id: 2,
						type: { id: 1, name: 'Email' },
						value: ' ADA@contoso.com ',
						defaultFlag: true,
						communicationType: 'Email',
					},
					{
						id: 3,
						type: { id: 3, name: 'Cell' },
						value: '555 0101',
						defaultFlag: true,
						communicationType: 'Phone',
					},
				]),
				defaultPhoneNbr: '4255550000',
				inactiveFlag: true,
			},
			RESOLVED,
			NAMES,
		);
		expect(canonical).toEqual({
			system: 'connectwise',
			id: '7',
			companyId: '250',
			email: 'ada@contoso.com',
			emails: ['ada@contoso.com', 'old@contoso.com'],
			firstName: 'Ada',
			lastName: 'Lovelace',
			title: '',
			phone: '',
			mobile: '555 0101',
			active: false,
			// Two Email items: the email write needs a read; no Direct item; the only Cell item.
			ref: { typeNames: 'email|direct|cell', phoneItemId: 0, mobileItemId: 3, phoneDefault: true },
		});
	});
});

describe('writes', () => {
	test('input checks name the field; blanks are not given', () => {
		expect(
			checkContactInput({ firstName: ' Ada ', lastName: '', title: '  ' }, { creating: true }),
		).toEqual({ firstName: 'Ada' });
		expect(thrown(() => checkContactInput({ lastName: 'X' }, { creating: true })).field).toBe(
			'First Name',
		);
		expect(
			thrown(() => checkContactInput({ firstName: 'x'.repeat(31) }, { creating: false })).message,
		).toBe('First Name is 31 characters long; ConnectWise allows at most 30');
		expect(
			thrown(() => checkContactInput({ zip: '1234567890123' }, { creating: false })).field,
		).toBe('Zip');
		expect(thrown(() => checkContactInput({ email: 'nope' }, { creating: false })).field).toBe(
			'Email',
		);
		expect(
			thrown(() => checkContactInput({ phone: '1'.repeat(251) }, { creating: false })).field,
		).toBe('Phone');
	});

	test('create body: items by type id, one default phone', () => {
		expect(
			newContactBody({ firstName: 'A', companyId: '250', email: 'a@b.co', mobile: '1' }, RESOLVED),
		).toEqual({
			firstName: 'A',
			company: { id: 250 },
			communicationItems: [
				{ type: { id: 1 }, value: 'a@b.co', defaultFlag: true },
				{ type: { id: 3 }, value: '1', defaultFlag: true },
			],
		});
	});

	test('patch: only changed scalars, never a blank or communicationItems', () => {
		const current = contact([]);
		current.title = 'CTO';
		expect(
			contactPatch({ title: 'CTO', lastName: 'Byron', email: 'x@y.z', inactive: false }, current),
		).toEqual([{ op: 'replace', path: 'lastName', value: 'Byron' }]);
		expect(contactPatch({ inactive: true })).toEqual([
			{ op: 'replace', path: 'inactiveFlag', value: true },
		]);
	});

	test('communication writes update the right item, keep the others, keep one default', () => {
		const current = contact([
			{
				id: 10,
				type: { id: 1, name: 'Email' },
				value: 'ada@contoso.com',
				defaultFlag: true,
				communicationType: 'Email',
			},
			{
				id: 11,
				type: { id: 1, name: 'Email' },
				value: 'ada@old.example',
				defaultFlag: false,
				communicationType: 'Email',
			},
			{
				id: 12,
				type: { id: 2, name: 'Direct' },
				value: '+1 (425) 555-0100',
				defaultFlag: true,
				communicationType: 'Phone',
			},
		]);
		// Same digits = no change; an existing address becomes the default; a new mobile is added, not default.
		expect(
			communicationWrites(
				current,
				{ email: 'ada@old.example', phone: '14255550100', mobile: '4255550101' },
				RESOLVED,
			),
		).toEqual([
			{
				kind: 'update',
				field: 'email',
				itemId: 11,
				operations: [{ op: 'replace', path: 'defaultFlag', value: true }],
			},
			{
				kind: 'create',
				field: 'mobile',
				body: { type: { id: 3 }, value: '4255550101', defaultFlag: false },
			},
		]);
		expect(
			communicationWrites(current, { email: 'new@contoso.com', phone: '4255550199' }, RESOLVED),
		).toEqual([
			{
				kind: 'update',
				field: 'email',
				itemId: 10,
				operations: [{ op: 'replace', path: 'value', value: 'new@contoso.com' }],
			},
			{
				kind: 'update',
				field: 'phone',
				itemId: 12,
				operations: [{ op: 'replace', path: 'value', value: '4255550199' }],
			},
		]);
		const merged = withCommunicationResults(current, [
			{
				id: 11,
				type: { id: 1, name: 'Email' },
				value: 'ada@old.example',
				defaultFlag: true,
				communicationType: 'Email',
			},
		]);
		expect(merged.communicationItems!.map((i) => [i.id, i.defaultFlag])).toEqual([
			[10, false],
			[11, true],
			[12, true],
		]);
	});

	test('plan items: only changes, never blanks; the action sets the active flag', () => {
		const base = {
			planVersion: 1 as const,
			targetSystem: 'connectwise' as const,
			targetId: '7',
			companyId: '250',
			email: 'ada@contoso.com',
			sourceId: 'u1',
			before: {},
			after: {},
			reason: '',
			dryRun: false,
		};
		expect(
			planToInput({
				...base,
				action: 'update',
				changes: { title: 'CTO', phone: '', mobile: '   ' },
			}),
		).toEqual({ title: 'CTO' });
		expect(planToInput({ ...base, action: 'deactivate', changes: {} })).toEqual({ inactive: true });
		expect(
			planToInput({ ...base, action: 'create', changes: { firstName: 'Ada', active: true } }),
		).toEqual({ firstName: 'Ada', inactive: false, companyId: '250' });
	});
});
