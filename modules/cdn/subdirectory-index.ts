/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) that serves a
 * directory's index document: `/about/` becomes `/about/index.html`, as a
 * static-site export (Next.js with `trailingSlash: true`, Hugo, Gatsby)
 * writes it. Only a URI ending in `/` is rewritten: `/about` and
 * `/.well-known/apple-app-site-association` (no extension, a real file) are
 * left alone. The query string is untouched.
 *
 * This string is exactly the code deployed; the tests run it with sample events.
 */
export function subdirectoryIndexCode(indexDocument: string): string {
  return [
    `var INDEX_DOCUMENT = ${JSON.stringify(indexDocument)};`,
    "",
    "function handler(event) {",
    "  var request = event.request;",
    "  if (request.uri.endsWith('/')) {",
    "    request.uri = request.uri + INDEX_DOCUMENT;",
    "  }",
    "  return request;",
    "}",
    "",
  ].join("\n");
}
