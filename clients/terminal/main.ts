// npm run chat: the terminal chat on this process's stdin and stdout (the work is in session.ts).
import { runChat } from './session.ts';

const code = await runChat(process.argv.slice(2), {
  input: process.stdin,
  output: process.stdout,
  terminal: process.stdin.isTTY,
  color: process.stdout.isTTY && !process.env.NO_COLOR,
  onSignal: (interrupt) => {
    process.on('SIGINT', interrupt);
    return () => process.off('SIGINT', interrupt);
  },
});
process.exit(code);
