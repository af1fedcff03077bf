/** The credential's name and CometAPI's public root, shared by the credential and the transport. */
export const CREDENTIAL_TYPE = 'cometApiVeoApi';

export const DEFAULT_BASE_URL = 'https://api.cometapi.com';
