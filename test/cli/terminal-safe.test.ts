// Text from profiles and saved results reaches the terminal: an escape in a name must not set the window
// title, clear the screen or fake a link. terminalSafe keeps text, newlines, tabs and colour codes only.
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal.js';

describe('terminalSafe', () => {
  it.each([
    ['a window title (OSC 0)', 'a\u001b]0;pwned\u0007b', 'ab'],
    ['a title ended by ST', 'a\u001b]2;pwned\u001b\\b', 'ab'],
    ['a fake hyperlink (OSC 8)', '\u001b]8;;http://evil/\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['clearing the screen', 'x\u001b[2Jy', 'xy'],
    ['moving the cursor', 'x\u001b[10;10Hy', 'xy'],
    ['a bell', 'bell\u0007', 'bell'],
    ['a carriage return that would overwrite the line', 'real\rfake', 'realfake'],
    ['a C1 control sequence introducer', 'a\u009b2Jb', 'a2Jb'],
    ['a lone escape at the end', 'lone\u001b', 'lone'],
    ['a right-to-left override', 'abc\u202etxt.exe', 'abctxt.exe'],
    ['DEL and NUL', 'a\u007fb\u0000c', 'abc'],
  ])('removes %s', (_, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it('keeps newlines, tabs, the report’s colour codes and non-ASCII text as they are', () => {
    const text = 'phase\tp99\n\u001b[32m100%\u001b[39m \u001b[1;4mtimeline\u001b[22;24m ▁▂█ µs — ok ✓';
    expect(terminalSafe(text)).toBe(text);
  });
});
