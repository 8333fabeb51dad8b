import { Credentials } from 'n8n-core';
import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';

/**
 * Stored credentials by type, as n8n's database would hold them (decrypted). The values that
 * preAuthentication refreshes are written back here, as n8n does.
 */
export class CredentialStore {
	readonly data = new Map<string, ICredentialDataDecryptedObject>();

	/** How often each type's preAuthentication ran (token mints, zone look-ups...). */
	readonly preAuthenticationCalls = new Map<string, number>();

	constructor(
		readonly types: Record<string, ICredentialType>,
		initial: Record<string, ICredentialDataDecryptedObject> = {},
	) {
		for (const [type, values] of Object.entries(initial)) this.set(type, values);
	}

	set(type: string, values: ICredentialDataDecryptedObject): void {
		const credentialType = this.type(type);
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of credentialType.properties) {
			withDefaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
		this.data.set(type, { ...withDefaults, ...values });
	}

	get(type: string): ICredentialDataDecryptedObject {
		const found = this.data.get(type);
		if (!found) throw new Error(`No test credentials of type "${type}"`);
		return found;
	}

	type(type: string): ICredentialType {
		const found = this.types[type];
		if (!found) throw new Error(`Unknown credential type "${type}"`);
		return found;
	}
}

/** The parts of n8n's CredentialsHelper that node execution uses, over a CredentialStore. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.store.type(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (typeof type.authenticate === 'function')
			return await type.authenticate(credentials, options);
		if (type.authenticate?.type === 'generic' && workflow && node) {
			const target = options as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, entries] of Object.entries(type.authenticate.properties)) {
				target[outerKey] = target[outerKey] ?? {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[outerKey][key] = workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					);
				}
			}
		}
		return options;
	}

	/** As n8n's CLI: run when the expirable field is empty or the call got a 401, then persist. */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.store.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.store.preAuthenticationCalls.set(
			typeName,
			(this.store.preAuthenticationCalls.get(typeName) ?? 0) + 1,
		);
		const output = await type.preAuthentication.call(helpers, credentials);
		if (!output || output[expirable.name] === undefined) return undefined;
		this.store.data.set(typeName, {
			...this.store.get(typeName),
			...(output as ICredentialDataDecryptedObject),
		});
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new Credentials({ id: details.id ?? null, name: details.name }, type, '');
	}

	async getDecrypted(
		_additionalData: unknown,
		_details: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return { ...this.store.get(type) };
	}

	async updateCredentials(
		_details: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store.data.set(type, { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.store.type(type).properties;
	}
}
