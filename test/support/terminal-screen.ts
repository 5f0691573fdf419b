// What the terminal chat's screen (escape codes and carriage returns removed) shows of a reply. readline echoes
// the line a person sends in pieces, so a test that waits on the reply must not start reading before that line
// has been echoed in full and ended: until then, nothing of the reply is on the screen.

/** The spinner's frames while a reply is awaited: "⠋ Thinking…", each redrawn over the last. */
const SPINNER_FRAME = /\S Thinking…/g;

/** The reply's text so far: what follows the last echo of the sent line, less the spinner; '' before that echo ends. */
export function replyText(screen: string, sent: string): string {
  const line = `${sent}\n`;
  const at = screen.lastIndexOf(line);
  if (at === -1) return '';
  return screen.slice(at + line.length).replace(SPINNER_FRAME, '');
}
