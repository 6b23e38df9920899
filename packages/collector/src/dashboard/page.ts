/**
 * The dashboard's one HTML page: no inline script or style, so it runs under the strict
 * Content-Security-Policy it is served with. Assets are named by content hash, cached for good.
 */
export function dashboardPage(versions: { js: string; css: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Chatmark</title>
<link rel="stylesheet" href="/dashboard/app.css?v=${versions.css}">
<script src="/dashboard/app.js?v=${versions.js}" defer></script>
</head>
<body>
<div id="app"><noscript>Chatmark's dashboard needs JavaScript.</noscript></div>
</body>
</html>
`;
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
