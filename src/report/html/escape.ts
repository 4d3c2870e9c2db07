// What goes into the HTML report goes in escaped: text as text (a profile named `</script><script>...`
// stays a name), and the embedded data as JSON that cannot end the <script> element it sits in.

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * A value as JSON to sit inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes (so
 * neither `</script>` nor `<!--` can occur), and U+2028/U+2029 too. JSON.parse reads it back unchanged.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
