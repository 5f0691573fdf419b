// The e2e terminal chat test's view of a reply on the screen. The screens below are those of a recorded run, in the
// order the pseudo-terminal delivered them: readline's echo of the sent line arrives in pieces ("Tel", "l ",
// "me ", ...), and the reply must read as empty until that echo ends, or the test presses Ctrl-C before any reply.
import { describe, expect, it } from '@jest/globals';
import { replyText } from '../../support/terminal-screen.ts';

const SENT = 'Tell me a long story [[standin:tokens=4000]]';
const SIGNED_IN = 'Sign in (i) or sign up (u)? [i] \nEmail: tess@example.com\nPassword: \nSigned in as tess@example.com.\nNew conversation › ';

describe('replyText', () => {
  it('is empty at every point while the sent line is being echoed', () => {
    const pieces = ['Tel', 'l ', 'me ', 'a ', 'lon', 'g sto', 'ry [', '[s', 'ta', 'ndin:', 'tok', 'ens=400', '0]', ']', '\n'];
    const screens = pieces.map((_, i) => SIGNED_IN + pieces.slice(0, i + 1).join(''));

    expect([SIGNED_IN, ...screens].map((screen) => replyText(screen, SENT))).toEqual(Array<string>(pieces.length + 1).fill(''));
  });

  it('is empty while only the spinner shows', () => {
    expect(replyText(`${SIGNED_IN}${SENT}\n⠋ Thinking…⠙ Thinking…⠹ Thinking…`, SENT)).toBe('');
  });

  it('is the text streamed after the spinner, and after the last time the line was sent', () => {
    const earlier = `${SIGNED_IN}${SENT}\nAn old reply.\n\nNew conversation › `;

    expect(replyText(`${earlier}${SENT}\n⠋ Thinking…⠙ Thinking…Once upon a time,\nthere`, SENT)).toBe('Once upon a time,\nthere');
  });
});
