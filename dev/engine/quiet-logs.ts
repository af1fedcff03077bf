/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test harness, not node code */
// n8n-core logs every node error to stdout; the tests assert on errors themselves.
process.env.N8N_LOG_LEVEL ??= 'silent';
