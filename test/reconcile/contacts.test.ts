import { readContacts } from '../../lib/reconcile';
import { contact, user } from './helpers';

describe('reading the inputs', () => {
	test('items that are not canonical contacts are named by input, item and field', () => {
		const source = readContacts(
			[
				user('ok'),
				{ id: 'x', mail: 'raw@graph' },
				{ ...user('a'), active: 'yes' },
				{ error: 'Forbidden' },
				{ ...user('b'), system: 'autotask' },
			],
			'Source',
			['m365'],
		);
		expect(source.contacts.map((c) => c.id)).toEqual(['u-ok']);
		expect(source.issues.map((issue) => [issue.itemIndex, issue.field, issue.message])).toEqual([
			[1, 'system', 'Source item 1: field "system" is missing, so this is not a canonical contact'],
			[2, 'active', 'Source item 2: field "active" must be true or false, not "yes"'],
			[
				3,
				'error',
				'Source item 3: is an error item from the previous node ("Forbidden"), not a contact',
			],
			[4, 'system', 'Source item 4: field "system" is "autotask", expected "m365"'],
		]);
		const target = readContacts([{ ...contact(1, 'a'), emails: 'a@x.example' }], 'Target', [
			'autotask',
		]);
		expect(target.issues[0]).toMatchObject({
			input: 'Target',
			field: 'emails',
			message: expect.stringMatching(/^Target item 0: field "emails" must be a list/),
		});
	});

	test('values are cleaned: numbers as text, addresses normalized and deduplicated, primary first', () => {
		const read = readContacts(
			[
				{
					...contact(1, 'a'),
					id: 42,
					companyId: 100,
					email: ' A@X.example',
					emails: ['b@x.example', 'a@x.example', 'B@X.example'],
					phone: 4255550100,
				},
			],
			'Target',
			['autotask'],
		);
		expect(read.contacts[0]).toMatchObject({
			id: '42',
			companyId: '100',
			email: 'a@x.example',
			emails: ['a@x.example', 'b@x.example'],
			phone: '4255550100',
		});
	});
});
