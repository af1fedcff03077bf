import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../nodes/CometApiVeo/transport/constants';

// Named apart from the existing CometAPI community packages (`cometApi`, `cometApiApi`) so
// both can be installed side by side.
export class CometApiVeoApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'CometAPI Veo API';

	icon: Icon = {
		light: 'file:../nodes/CometApiVeo/cometApiVeo.svg',
		dark: 'file:../nodes/CometApiVeo/cometApiVeo.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-cometapi-veo#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your CometAPI key, sent as a Bearer token to the Base URL only',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Where CometAPI answers. Change it only for a proxy or a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			// The same root the node uses: trimmed, default when empty, with or without /v1.
			baseURL: `={{($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "").replace(/\\/v1$/, "")}}`,
			url: '/v1/models',
			method: 'GET',
			// A redirect must not carry the key to another host.
			disableFollowRedirect: true,
		},
	};
}
