// npm run chat end to end: outputs, sign-in, a conversation, then turns whose replies stream as they are written.
// Ctrl-C while a reply is on its way stops it (stopReply); Ctrl-C at the prompt, or a second one, quits.
import { ChatApi, ConversationFeed, graphqlClient, RealtimeClient, RealtimeError, type Conversation, type ReplyState, type Turn } from '../kit/index.ts';
import { parseChatArgs, USAGE, UsageError } from './args.ts';
import { CognitoAuth, type SignedIn } from './auth.ts';
import { message, probe, reachingFetch } from './failure.ts';
import { readOutputs, type ChatConfig } from './outputs.ts';
import { onCtrlC, ReplyPrinter, type Phase, type ReplyOutput } from './reply.ts';
import { choice, Render } from './render.ts';
import { signInDialogue } from './signin.ts';
import { Terminal, type TerminalIo } from './terminal.ts';

export interface ChatIo extends TerminalIo {
  color: boolean;
  /** Lets the caller route process signals to the session; returns an undo. */
  onSignal?: (interrupt: () => void) => () => void;
}

/** Runs the chat; resolves the process's exit code. */
export async function runChat(argv: readonly string[], io: ChatIo): Promise<number> {
  const render = new Render(io.color);
  let config: ChatConfig;
  try {
    const args = parseChatArgs(argv);
    if (args.help) {
      io.output.write(`${USAGE}\n`);
      return 0;
    }
    config = readOutputs(args.outputsPath);
  } catch (error) {
    io.output.write(render.error(message(error)));
    return error instanceof UsageError ? 2 : 1;
  }
  const terminal = new Terminal(io);
  const session = new ChatSession(terminal, render, config);
  terminal.onInterrupt(() => session.interrupt());
  const undo = io.onSignal?.(() => terminal.interrupt());
  try {
    return await session.run();
  } catch (error) {
    terminal.write(render.error(message(error)));
    return 1;
  } finally {
    undo?.();
    session.close();
    terminal.close();
  }
}

export class ChatSession {
  private phase: Phase = 'prompt';
  private api: ChatApi | undefined;
  private user: SignedIn | undefined;
  private conversation: Conversation | undefined;
  private realtime: RealtimeClient | undefined;
  private feed: ConversationFeed | undefined;
  private readonly printer = new ReplyPrinter();
  private sending: Promise<Turn | undefined> = Promise.resolve(undefined);
  private spinner: { stop(): void } | undefined;
  private replyEnded: (() => void) | undefined;

  constructor(private readonly terminal: Terminal, private readonly render: Render, private readonly config: ChatConfig) {}

  async run(): Promise<number> {
    await probe(this.config.graphqlUrl);
    this.user = await signInDialogue(this.terminal, new CognitoAuth(this.config), this.render, this.config.cognitoEndpoint !== undefined) ?? undefined;
    if (!this.user) return 0;
    this.terminal.write(this.render.note(`Signed in as ${this.user.email}.`));
    const token = (): Promise<string> => (this.user as SignedIn).accessToken();
    this.api = new ChatApi(graphqlClient({ url: this.config.graphqlUrl, token, fetch: reachingFetch }).request);
    this.realtime = new RealtimeClient({ graphqlUrl: this.config.graphqlUrl, realtimeUrl: this.config.realtimeUrl, token });
    this.conversation = await this.pick(this.api);
    if (!this.conversation) return 0;
    await this.subscribe(this.conversation.id);
    if (this.conversation.activeReplyId) await this.rejoin(this.conversation.activeReplyId);
    while (this.phase !== 'quitting') {
      this.phase = 'prompt';
      const line = await this.terminal.ask(this.render.prompt(this.conversation.title));
      if (line === null) break;
      if (line.trim() !== '') await this.turn(line);
    }
    return 0;
  }

  private async pick(api: ChatApi): Promise<Conversation | undefined> {
    const list = (await api.listConversations()).items;
    if (list.length === 0) return api.createConversation();
    this.terminal.write(this.render.conversations(list));
    for (;;) {
      const answer = await this.terminal.ask('Pick a conversation [n]: ');
      if (answer === null) return undefined;
      const picked = choice(answer, list.length);
      if (picked === 'new') return api.createConversation();
      if (picked !== undefined) return list[picked];
      this.terminal.write(this.render.error(`answer 1 to ${list.length}, or n for a new conversation`));
    }
  }

  /** The conversation's replies, assembled by the kit: in seq order, gaps and reconnects read back from the stored message. */
  private async subscribe(conversationId: string): Promise<void> {
    this.feed = new ConversationFeed({
      realtime: this.realtime as RealtimeClient, api: this.api as ChatApi, conversationId,
      onReply: (state) => this.show(state),
      onTitle: (title) => ((this.conversation as Conversation).title = title),
      onError: (error) => this.onFeedError(error),
      onConnection: (state, reason) => {
        if (state === 'interrupted') this.terminal.write(`\n${this.render.note(`(${reason}: reconnecting)`)}`);
      },
    });
    await this.feed.ready;
  }

  /** A reply already being written when the conversation was picked: its text so far, then the rest live. */
  private async rejoin(replyId: string): Promise<void> {
    const stored = await (this.api as ChatApi).getMessage((this.conversation as Conversation).id, replyId);
    if (!stored) return;
    this.printer.follow(stored.id);
    this.phase = 'streaming';
    const ended = this.untilEnd();
    this.show((this.feed as ConversationFeed).follow(stored));
    await ended;
  }

  private async turn(content: string): Promise<void> {
    const api = this.api as ChatApi;
    const conversationId = (this.conversation as Conversation).id;
    this.phase = 'sending';
    this.spinner = this.terminal.spinner('Thinking…');
    const ended = this.untilEnd();
    this.printer.follow('');
    this.sending = api.sendMessage(conversationId, content).catch((error: unknown) => {
      this.stopSpinner();
      this.terminal.write(this.render.error(message(error)));
      this.replyEnded?.();
      return undefined;
    });
    const turn = await this.sending;
    if (!turn) return;
    this.printer.follow(turn.reply.id);
    if (this.phase === 'sending') this.phase = 'streaming';
    this.show((this.feed as ConversationFeed).follow(turn.reply));
    await ended;
  }

  private untilEnd(): Promise<void> {
    return new Promise((resolve) => {
      this.replyEnded = resolve;
    });
  }

  private show(state: ReplyState): void {
    for (const output of this.printer.show(state)) this.print(output);
  }

  private print(output: ReplyOutput): void {
    this.stopSpinner();
    if (output.kind === 'text') {
      this.terminal.write(output.text);
      return;
    }
    if (output.kind === 'note') {
      this.terminal.write(`\n${this.render.style('dim', output.text)}\n`);
      return;
    }
    this.terminal.write(this.render.end(output.status, output.error));
    this.replyEnded?.();
  }

  /** The subscription ended for good (the kit reconnects on its own until then): quit; a failed re-read is only said. */
  private onFeedError(error: Error): void {
    if (!(error instanceof RealtimeError)) {
      this.terminal.write(this.render.error(`could not read the reply: ${message(error)}`));
      return;
    }
    if (this.phase === 'quitting') return;
    this.terminal.write(this.render.error(`the real-time connection failed: ${message(error)}`));
    this.quit();
  }

  private stopSpinner(): void {
    this.spinner?.stop();
    this.spinner = undefined;
  }

  interrupt(): void {
    const { phase, action } = onCtrlC(this.phase);
    this.phase = phase;
    if (action === 'quit') return this.quit();
    // No note here: it would land inside the reply's text. The STOPPED line follows within a flush or two.
    void this.stop();
  }

  private async stop(): Promise<void> {
    // A stop pressed while sendMessage is in flight waits for it: stopReply needs the reply to exist.
    await this.sending;
    if (this.phase === 'quitting' || this.printer.done) return;
    try {
      await (this.api as ChatApi).stopReply((this.conversation as Conversation).id);
    } catch (error) {
      this.terminal.write(this.render.error(`stopReply: ${message(error)}`));
    }
  }

  private quit(): void {
    this.phase = 'quitting';
    this.stopSpinner();
    this.terminal.cancel();
    this.replyEnded?.();
  }

  close(): void {
    this.phase = 'quitting';
    this.feed?.close();
    this.realtime?.close();
  }
}
