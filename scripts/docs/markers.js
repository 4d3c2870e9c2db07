// The generated blocks of a Markdown page: an HTML comment that says how to make the output, then the
// fenced block that holds it. `npm run docs` (scripts/docs.js) reruns each and rewrites the fence's
// content; everything else in the page is left as it is. The comments are invisible on GitHub.
//
//   <!-- output: ramp quickstart --no-progress -->
//   ```text
//   (what `incident-load ramp quickstart --no-progress` printed, stdout and stderr)
//   ```
//
//   <!-- output(keep: phases, outcomes): ramp ... -->   only the report's header and the paragraphs
//                                                       (blank-line separated) whose first line starts
//                                                       with one of the words; "..." where others were
//   <!-- console:
//   incident-load validate docs/examples/broken.yaml
//   echo $?
//   -->                                                 each line run in one bash session, shown as
//                                                       "$ line" followed by what it printed
//   <!-- mock: --mock fleet.workers=8 -->               `incident-load mock ...` in the background for
//                                                       the rest of the page (its URLs in $TRAFFIC,
//                                                       $CONTROL, $TOKEN_FILE); the fence shows its
//                                                       terminal, stopped with Ctrl-C at the page's end
//                                                       (or when the next mock: marker starts another)
//   <!-- include: bench/results.md#summary -->          not an output: the section under that heading of
//   ...                                                 another file, as Markdown, up to the closing
//   <!-- /include -->                                   comment (no fence)
//
// Commands may use $TARGET (a loopback HTTP server the script starts, http://127.0.0.1:<port>),
// $TARGET_HOST (its 127.0.0.1:<port>), $TLS_TARGET (the same over HTTPS, with a self-signed certificate)
// and the mock's $TRAFFIC, $CONTROL and $TOKEN_FILE; the fence shows the values they had.

const MARKER = /<!--\s*(output|console|mock|include)(?:\(([^)]*)\))?:([\s\S]*?)-->/g;
const INCLUDE_END = '<!-- /include -->';
const FENCE_OPEN = /^(```+|~~~+)([\w-]*)\s*$/;

/**
 * Every marked block of `text`, in order: { kind, options, spec, lines (console), start, end, fence }, where
 * `start`..`end` is the fence's content (character offsets) and `fence` its opening line. Throws an Error
 * naming the line of a marker without a fence right after it (blank lines allowed in between).
 */
export function findBlocks(text, source = 'page') {
  const blocks = [];
  const code = codeRegions(text);
  for (const match of text.matchAll(MARKER)) {
    const [whole, kind, rawOptions, rawSpec] = match;
    // A marker shown as an example (in a fenced block or a code span) is not one.
    if (code.some(([from, to]) => match.index >= from && match.index < to) || text[match.index - 1] === '`') continue;
    const line = lineOf(text, match.index);
    const options = parseOptions(rawOptions ?? '', `${source}:${line}`);
    const spec = rawSpec.trim();
    const lines = spec
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length === 0) throw new Error(`${source}:${line}: the ${kind} marker says nothing to run`);
    if (kind !== 'console' && lines.length > 1) throw new Error(`${source}:${line}: an ${kind} marker takes one command line; use console: for several`);
    if (kind === 'include') {
      const from = match.index + whole.length;
      const to = text.indexOf(INCLUDE_END, from);
      if (to < 0) throw new Error(`${source}:${line}: the include marker has no closing ${INCLUDE_END}`);
      blocks.push({ kind, options, spec: lines[0], lines, line, start: from + 1, end: to, fence: undefined });
      continue;
    }
    // The fence: after the marker, past blank lines only.
    let at = match.index + whole.length;
    const rest = text.slice(at);
    const blank = /^[ \t]*\n(?:[ \t]*\n)*/.exec(rest);
    at += blank ? blank[0].length : 0;
    const openEnd = text.indexOf('\n', at);
    const open = openEnd < 0 ? '' : text.slice(at, openEnd);
    const fence = FENCE_OPEN.exec(open);
    if (!fence) throw new Error(`${source}:${line}: expected a fenced block (\`\`\`text) right after the ${kind} marker`);
    const start = openEnd + 1;
    const closing = new RegExp(`^${fence[1]}\\s*$`, 'm');
    const close = closing.exec(text.slice(start));
    if (!close) throw new Error(`${source}:${line}: the fenced block after the ${kind} marker is never closed`);
    blocks.push({ kind, options, spec: lines.join('\n'), lines, line, start, end: start + close.index, fence: open });
  }
  return blocks;
}

/**
 * The Markdown under the heading `#anchor` names in `text` (an anchor as GitHub makes it, or the heading's
 * own text), up to the next heading of the same or a higher level, without blank lines around it.
 */
export function sectionOf(text, anchor, source = 'file') {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^#{1,6} /.test(l) && (slug(l.replace(/^#+ /, '')) === anchor || l.replace(/^#+ /, '').trim() === anchor));
  if (at < 0) throw new Error(`${source} has no heading #${anchor}`);
  const level = /^#+/.exec(lines[at])[0].length;
  let end = lines.findIndex((l, i) => i > at && /^#{1,6} /.test(l) && /^#+/.exec(l)[0].length <= level);
  if (end < 0) end = lines.length;
  return lines
    .slice(at + 1, end)
    .join('\n')
    .trim();
}

/** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** `text` with the content of each block replaced by `outputs[i]` (a string ending without a newline). */
export function replaceBlocks(text, blocks, outputs) {
  let out = '';
  let from = 0;
  blocks.forEach((block, i) => {
    out += text.slice(from, block.start);
    const body = outputs[i] ?? text.slice(block.start, block.end).replace(/\n$/, '');
    if (block.kind === 'include') out += `\n${body}\n\n`;
    else out += body === '' ? '' : `${body}\n`;
    from = block.end;
  });
  return out + text.slice(from);
}

/** "keep: phases, request mix" -> { keep: ['phases', 'request mix'] } */
function parseOptions(raw, where) {
  const options = {};
  for (const part of raw
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\w+)\s*:\s*(.*)$/.exec(part);
    if (!m || m[1] !== 'keep') throw new Error(`${where}: unknown marker option "${part}" (known: keep: word, word)`);
    options.keep = m[2]
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
  }
  return options;
}

/**
 * The report's header (its first paragraph) and the paragraphs whose first line starts with one of
 * `words`; a run of left-out paragraphs becomes one "...".
 */
export function keepParagraphs(output, words) {
  const paragraphs = output.split(/\n{2,}/);
  const kept = [];
  paragraphs.forEach((p, i) => {
    const first = p.split('\n')[0];
    if (i === 0 || words.some((w) => first.startsWith(w))) kept.push(p);
    else if (kept[kept.length - 1] !== '...') kept.push('...');
  });
  return kept.join('\n\n');
}

/** [from, to) of every fenced code block, fences included. */
function codeRegions(text) {
  const regions = [];
  let open;
  let offset = 0;
  for (const line of text.split('\n')) {
    const fence = /^(```+|~~~+)/.exec(line);
    if (fence && !open) open = { marker: fence[1], from: offset };
    else if (fence && open && line.trim() === open.marker) {
      regions.push([open.from, offset + line.length]);
      open = undefined;
    }
    offset += line.length + 1;
  }
  if (open) regions.push([open.from, text.length]);
  return regions;
}

function lineOf(text, index) {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
