import {
	buildUserQuery,
	checkRawFilter,
	graphUserToContact,
	inDomains,
	isRoutableUpn,
	parseTenant,
	resolveAddress,
	sharedMailboxHint,
	userSelect,
} from '../../lib/contacts/graph';
import { parseDomains } from '../../lib/contacts/domains';
import { InputError } from '../../lib/transport/http';
import { graphError, relativeGraphLink } from '../../lib/transport/graph';
import type { GraphUser } from '../../lib/transport/graph';

const user = (fields: Record<string, unknown>): GraphUser => ({
	id: 'u1',
	accountEnabled: true,
	assignedLicenses: [{ skuId: 'x' }],
	userType: 'Member',
	...fields,
});

function inputError(run: () => unknown): InputError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputError);
	return caught as InputError;
}

describe('address resolution', () => {
	test('mail first, lower-cased and trimmed; all SMTP addresses kept, primary first', () => {
		const resolved = resolveAddress(
			user({
				mail: ' AdeleV@Contoso.com ',
				proxyAddresses: [
					'smtp:adele@contoso.onmicrosoft.com',
					'SMTP:AdeleV@Contoso.com',
					'X500:/o=x',
					'SIP:adele@contoso.com',
				],
			}),
		);
		expect(resolved).toEqual({
			email: 'adelev@contoso.com',
			source: 'mail',
			emails: ['adelev@contoso.com', 'adele@contoso.onmicrosoft.com'],
		});
	});

	test('mail null: the primary (capital SMTP:) proxy address, not an alias', () => {
		expect(
			resolveAddress(
				user({
					mail: null,
					proxyAddresses: ['smtp:alias@contoso.com', 'SMTP:Primary@Contoso.com'],
				}),
			),
		).toMatchObject({ email: 'primary@contoso.com', source: 'proxyAddress' });
	});

	test('then the UPN when routable; never a *.onmicrosoft.com or #EXT# UPN', () => {
		expect(
			resolveAddress(user({ mail: null, userPrincipalName: 'LeeG@Contoso.com' })),
		).toMatchObject({ email: 'leeg@contoso.com', source: 'userPrincipalName' });
		expect(isRoutableUpn('admin@contoso.onmicrosoft.com')).toBe(false);
		expect(isRoutableUpn('jane_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe(false);
		expect(isRoutableUpn('svc@contoso.onmicrosoft.us')).toBe(false);
		const none = resolveAddress(
			user({
				mail: null,
				proxyAddresses: ['smtp:alias@contoso.com'],
				userPrincipalName: 'svc@contoso.onmicrosoft.com',
			}),
		);
		expect(none.email).toBe('');
		expect(none.reason).toBe(
			'No usable email address: no mail, no primary SMTP proxy address, the user principal name "svc@contoso.onmicrosoft.com" is not a routable address',
		);
		// The alias is still listed among the known addresses.
		expect(none.emails).toEqual(['alias@contoso.com']);
	});

	test('apostrophes and non-ASCII survive; a mail that is not an address falls through', () => {
		expect(resolveAddress(user({ mail: "Patrick.O'Brien@Contoso.com" })).email).toBe(
			"patrick.o'brien@contoso.com",
		);
		expect(
			resolveAddress(user({ mail: 'not an address', userPrincipalName: 'x@contoso.com' })),
		).toMatchObject({ email: 'x@contoso.com', source: 'userPrincipalName' });
	});
});

describe('canonical contact', () => {
	test('names from givenName/surname, else from displayName ("Last, First" or "First Rest")', () => {
		expect(
			graphUserToContact(
				user({ mail: 'a@b.co', givenName: ' Zoë ', surname: 'Ångström', displayName: 'ignored' }),
			).contact,
		).toMatchObject({ firstName: 'Zoë', lastName: 'Ångström' });
		expect(
			graphUserToContact(user({ mail: 'a@b.co', displayName: 'Langer, Isaiah' })).contact,
		).toMatchObject({ firstName: 'Isaiah', lastName: 'Langer' });
		expect(
			graphUserToContact(user({ mail: 'a@b.co', displayName: 'Mary Ann van Dyke' })).contact,
		).toMatchObject({ firstName: 'Mary', lastName: 'Ann van Dyke' });
		expect(
			graphUserToContact(user({ mail: 'a@b.co', displayName: 'Reception' })).contact,
		).toMatchObject({ firstName: 'Reception', lastName: '' });
		// One of the two set: the other stays blank rather than guessed.
		expect(
			graphUserToContact(user({ mail: 'a@b.co', givenName: 'Cher', displayName: 'Cher Sarkisian' }))
				.contact,
		).toMatchObject({ firstName: 'Cher', lastName: '' });
	});

	test('title, first non-blank business phone, mobile; blanks stay blank', () => {
		const { contact } = graphUserToContact(
			user({
				mail: 'a@b.co',
				jobTitle: '  ',
				businessPhones: ['', '+1 425 555 0100'],
				mobilePhone: null,
			}),
		);
		expect(contact).toMatchObject({ title: '', phone: '+1 425 555 0100', mobile: '' });
	});

	test('active = enabled and licensed, with the reason; unknown is not a reason', () => {
		expect(
			graphUserToContact(user({ mail: 'a@b.co', accountEnabled: false })).contact,
		).toMatchObject({ active: false, inactiveReason: 'disabled' });
		expect(
			graphUserToContact(user({ mail: 'a@b.co', assignedLicenses: [] })).contact,
		).toMatchObject({ active: false, inactiveReason: 'unlicensed' });
		expect(
			graphUserToContact(user({ mail: 'a@b.co', accountEnabled: false, assignedLicenses: [] }))
				.contact.inactiveReason,
		).toBe('disabled');
		const unknown = graphUserToContact({ id: 'u2', mail: 'a@b.co' }).contact;
		expect(unknown.active).toBe(true);
		expect('inactiveReason' in unknown).toBe(false);
	});

	test('no address: the contact plus the reason for the No Address output', () => {
		const mapped = graphUserToContact(
			user({ mail: null, userPrincipalName: 'svc@contoso.onmicrosoft.com', givenName: 'Svc' }),
		);
		expect(mapped.contact.email).toBe('');
		expect(mapped.noAddressReason).toMatch(/^No usable email address/);
	});
});

describe('shared mailbox heuristic', () => {
	test('rooms and equipment by name; unnamed role addresses, blocked or unlicensed accounts', () => {
		expect(
			sharedMailboxHint(user({ displayName: 'Boardroom 3', givenName: 'Board', surname: 'Room' })),
		).toMatch(/room or resource/);
		expect(
			sharedMailboxHint(user({ displayName: 'Support', mail: 'support@contoso.com' })),
		).toMatch(/role address/);
		expect(
			sharedMailboxHint(user({ displayName: 'Invoices EU', mail: 'invoices.eu@contoso.com' })),
		).toMatch(/role address/);
		expect(
			sharedMailboxHint(
				user({ displayName: 'Project X', mail: 'projectx@contoso.com', accountEnabled: false }),
			),
		).toMatch(/sign-in blocked/);
		expect(
			sharedMailboxHint(
				user({ displayName: 'Project Y', mail: 'projecty@contoso.com', assignedLicenses: [] }),
			),
		).toMatch(/no license/);
	});

	test('people are not flagged, even with role-like addresses when they have names', () => {
		expect(
			sharedMailboxHint(
				user({
					displayName: 'Ann Info',
					givenName: 'Ann',
					surname: 'Info',
					mail: 'info@contoso.com',
				}),
			),
		).toBeUndefined();
		expect(
			sharedMailboxHint(user({ displayName: 'Salesforce Admin', mail: 'sfadmin@contoso.com' })),
		).toBeUndefined();
		expect(
			sharedMailboxHint(
				user({
					displayName: 'Roomba Lopez',
					givenName: 'Roomba',
					surname: 'Lopez',
					mail: 'roomba@contoso.com',
				}),
			),
		).toBeUndefined();
	});
});

describe('filters', () => {
	test('server-side clauses, escaped; in-node re-checks; raw filter grouped', () => {
		const query = buildUserQuery({
			enabledOnly: true,
			licensedOnly: true,
			membersOnly: true,
			domains: ["o'hare.example"],
			excludeShared: true,
			rawFilter: "department eq 'Sales'",
		});
		expect(query.serverFilter).toBe(
			"accountEnabled eq true and assignedLicenses/$count ne 0 and userType eq 'Member' and (endsWith(mail,'@o''hare.example') or endsWith(userPrincipalName,'@o''hare.example') or proxyAddresses/any(p:endsWith(p,'@o''hare.example'))) and (department eq 'Sales')",
		);
		expect(query.serverSide).toEqual([
			'enabledOnly',
			'licensedOnly',
			'membersOnly',
			'domains',
			'rawFilter',
		]);
		expect(query.inNode).toEqual(['membersOnly', 'domains', 'excludeShared']);
		expect(query.accepts(user({ mail: "x@o'hare.example", givenName: 'X' }))).toBe(true);
		// A raw filter cannot switch the other filters off: the node re-checks them.
		expect(
			query.accepts(user({ mail: "x@o'hare.example", givenName: 'X', accountEnabled: false })),
		).toBe(false);
		expect(
			query.accepts(
				user({
					mail: "x@o'hare.example",
					givenName: 'X',
					userPrincipalName: 'x_y#EXT#@t.onmicrosoft.com',
				}),
			),
		).toBe(false);
	});

	test('domains: any of the addresses counts (resolved address, smtp: alias, UPN)', () => {
		expect(
			inDomains(user({ mail: 'p@contoso.co.uk', userPrincipalName: 'p@contoso.com' }), [
				'contoso.com',
			]),
		).toBe(true);
		expect(
			inDomains(
				user({
					mail: 'p@contoso.co.uk',
					userPrincipalName: 'p@contoso.co.uk',
					proxyAddresses: ['SMTP:p@contoso.co.uk', 'smtp:p@contoso.com', 'x500:/o=x'],
				}),
				['contoso.com'],
			),
		).toBe(true);
		expect(
			inDomains(
				user({
					mail: 'p@contoso.co.uk',
					userPrincipalName: 'p@contoso.co.uk',
					proxyAddresses: ['SMTP:p@contoso.co.uk', 'SIP:p@contoso.com'],
				}),
				['contoso.com'],
			),
		).toBe(false);
		expect(
			inDomains(user({ mail: null, userPrincipalName: 'svc@contoso.onmicrosoft.com' }), [
				'contoso.onmicrosoft.com',
			]),
		).toBe(true);
		expect(parseDomains(' @Contoso.com; contoso.co.uk,,CONTOSO.com ', 'Email Domains')).toEqual([
			'contoso.com',
			'contoso.co.uk',
		]);
		expect(parseDomains(['a.example', 'b.example'], 'Email Domains')).toEqual([
			'a.example',
			'b.example',
		]);
		expect(inputError(() => parseDomains('contoso', 'Email Domains')).field).toBe('Email Domains');
		expect(inputError(() => parseDomains("x.com'", 'Email Domains')).message).toBe(
			'"x.com\'" in Email Domains is not a domain',
		);
	});

	test('raw filter checks: quotes and parentheses must balance', () => {
		expect(checkRawFilter("  surname eq 'O''Brien' ", 'Raw Filter')).toBe("surname eq 'O''Brien'");
		expect(checkRawFilter("displayName eq ')('", 'Raw Filter')).toBe("displayName eq ')('");
		expect(inputError(() => checkRawFilter("mail eq 'x", 'Raw Filter')).message).toBe(
			'Raw Filter has an unterminated string',
		);
		expect(inputError(() => checkRawFilter('a eq 1) or (b eq 2', 'Raw Filter')).message).toBe(
			'Raw Filter has unbalanced parentheses',
		);
	});

	test('tenant and extra properties input checks', () => {
		expect(parseTenant(' Fabrikam.onmicrosoft.com ')).toBe('Fabrikam.onmicrosoft.com');
		expect(parseTenant('6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c')).toBe(
			'6a2c1f3e-8b9d-4e7a-9c1b-2d3e4f5a6b7c',
		);
		expect(parseTenant(undefined)).toBe('');
		expect(inputError(() => parseTenant('x/../y')).field).toBe('Tenant');
		expect(userSelect('department, officeLocation, mail').slice(-2)).toEqual([
			'department',
			'officeLocation',
		]);
		expect(inputError(() => userSelect('manager/id')).field).toBe('Extra Properties');
	});
});

describe('transport helpers', () => {
	test("links are followed relative to the credential's Graph root", () => {
		expect(relativeGraphLink('https://graph.microsoft.com/v1.0/users?$skiptoken=abc')).toBe(
			'/users?$skiptoken=abc',
		);
		expect(relativeGraphLink('http://127.0.0.1:9/v1.0/users/delta()?$deltatoken=x')).toBe(
			'/users/delta()?$deltatoken=x',
		);
		expect(relativeGraphLink('/users/delta()?$deltatoken=x')).toBe('/users/delta()?$deltatoken=x');
		expect(() => relativeGraphLink('https://evil.example/steal')).toThrow(/cannot follow/);
	});

	test('Graph errors keep code and message and add a fix', () => {
		const error = graphError({
			status: 400,
			headers: {},
			body: { error: { code: 'Request_UnsupportedQuery', message: 'Unsupported query.' } },
		});
		expect(error.message).toBe('Microsoft Graph: Unsupported query. (Request_UnsupportedQuery)');
		expect(error.vendorCode).toBe('Request_UnsupportedQuery');
		expect(error.description).toContain('Raw Filter');
		expect(graphError({ status: 503, headers: {}, body: '<html>down</html>' }).message).toBe(
			'Microsoft Graph: <html>down</html>',
		);
	});
});
