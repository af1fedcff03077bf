import { textReply, type Reply } from './reply';

// CometAPI answers an unknown path with a 301 and an HTML page, not a JSON error.
// The Location leads to '/', which serves the site's HTML home page with 200.
export const WRONG_PATH_LOCATION = '/';

const HTML = 'text/html; charset=utf-8';

export function wrongPathReply(body?: string): Reply {
	const html = body ?? '<html><head><title>301 Moved Permanently</title></head>'
		+ '<body><center><h1>301 Moved Permanently</h1></center><hr><center>nginx</center></body></html>';
	return textReply(301, html, HTML, { location: WRONG_PATH_LOCATION });
}

export function homePageReply(): Reply {
	return textReply(200, '<!doctype html><html><head><title>CometAPI</title></head><body>CometAPI</body></html>', HTML);
}
