/** `text` with the characters HTML gives meaning to escaped. */
function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The small page a browser sees at the end of an OAuth flow: a title, what happened and, for a
 * failure, what to do. Every text is escaped: a provider's error description is shown as text.
 */
export function resultPage(title: string, message: string, hint?: string): string {
  const hintLine = hint === undefined ? '' : `\n<p>${escapeHtml(hint)}</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Prism: ${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>${hintLine}
</body>
</html>
`;
}
