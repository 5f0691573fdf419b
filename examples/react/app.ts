/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The example chat app on the hooks (clients/react): sign in, the conversation list with "New conversation", and a
// conversation whose reply streams in, with Stop and Regenerate. The open conversation is kept in the URL's hash, so a
// reload (or a link) opens it again, and a reply still being written is followed on from where it is.
import { createElement as h, useCallback, useEffect, useRef, useState, type ChangeEvent, type FormEvent, type ReactElement } from 'react';
import { ChatProvider, useConversation, useConversations, type ConversationView } from '../../clients/react/index.ts';
import type { Block, Message } from '../../clients/kit/index.ts';
import { accessToken, signedInEmail, signInWithPassword, signOut } from './auth.ts';
import { Markdown } from './markdown.ts';

const describe = (error: { errorType: string; message: string }): string => `${error.errorType}: ${error.message}`;

export function App({ graphqlUrl }: { graphqlUrl: string }): ReactElement {
  // undefined: not known yet (Amplify reads its stored session); null: signed out.
  const [email, setEmail] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    void signedInEmail().then(setEmail);
  }, []);
  const leave = useCallback(() => {
    void signOut().finally(() => setEmail(null));
  }, []);
  if (email === undefined) return h('p', { role: 'status', className: 'loading' }, 'Loading…');
  if (email === null) return h(SignIn, { onSignedIn: setEmail });
  // Keyed by user: another user gets a new client, with nothing of the last one's.
  return h(ChatProvider, { key: email, graphqlUrl, token: accessToken }, h(Chat, { email, onSignOut: leave }));
}

function SignIn({ onSignedIn }: { onSignedIn: (email: string) => void }): ReactElement {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError('');
    signInWithPassword(email.trim(), password).then(onSignedIn, (failure: unknown) => {
      setError(failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure));
      setBusy(false);
    });
  };
  return h('form', { className: 'sign-in', onSubmit: submit, 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('label', {}, 'Email', h('input', { type: 'email', autoComplete: 'username', required: true, value: email, onChange: (e) => setEmail(e.target.value) })),
    h('label', {}, 'Password', h('input', { type: 'password', autoComplete: 'current-password', required: true, value: password, onChange: (e) => setPassword(e.target.value) })),
    h('button', { type: 'submit', disabled: busy }, 'Sign in'),
    h('p', { role: 'alert', className: 'error' }, error));
}

/** The conversation in the URL's hash, and a way to change it. */
function useHashSelection(): [string | null, (id: string) => void] {
  const read = (): string | null => decodeURIComponent(location.hash.slice(1)) || null;
  const [selected, setSelected] = useState(read);
  useEffect(() => {
    const changed = (): void => setSelected(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return [selected, (id) => {
    location.hash = encodeURIComponent(id);
  }];
}

function Chat({ email, onSignOut }: { email: string; onSignOut: () => void }): ReactElement {
  const [selected, select] = useHashSelection();
  const conversation = useConversation(selected);
  const { usage } = conversation;
  return h('div', { className: 'app' },
    h('header', {},
      h('h1', {}, 'Chat'),
      usage ? h('span', { className: 'usage' }, `${usage.remaining.toLocaleString()} of ${usage.quota.toLocaleString()} tokens left today`) : null,
      h('span', { className: 'who' }, `Signed in as ${email}`),
      h('button', { type: 'button', className: 'link', onClick: onSignOut }, 'Sign out')),
    h(Conversations, { selected, select }),
    selected ? h(Thread, { conversation }) : h('main', { className: 'thread empty' }, h('p', {}, 'Pick a conversation, or start a new one.')));
}

function Conversations({ selected, select }: { selected: string | null; select: (id: string) => void }): ReactElement {
  const list = useConversations();
  const create = (): void => {
    void list.create().then((created) => created && select(created.id));
  };
  return h('nav', { className: 'conversations', 'aria-label': 'Conversations' },
    h('button', { type: 'button', className: 'new', onClick: create, disabled: list.creating }, 'New conversation'),
    list.error ? h('p', { role: 'alert', className: 'error' }, describe(list.error)) : null,
    list.status === 'loading' ? h('p', { role: 'status' }, 'Loading…') : null,
    h('ul', {}, ...list.items.map((c) => h('li', { key: c.id },
      h('a', { href: `#${encodeURIComponent(c.id)}`, 'aria-current': c.id === selected ? 'page' : undefined, 'data-conversation-id': c.id }, c.title ?? 'Untitled')))),
    list.hasMore ? h('button', { type: 'button', onClick: () => void list.loadMore(), disabled: list.loadingMore }, 'More conversations') : null);
}

function Thread({ conversation }: { conversation: ConversationView }): ReactElement {
  const { messages, outgoing, replying, stopping, error, status, hasOlder, loadingOlder } = conversation;
  const last = messages.at(-1);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  return h('main', { className: 'thread', 'aria-busy': status === 'loading' },
    hasOlder ? h('button', { type: 'button', className: 'older', onClick: () => void conversation.loadOlder(), disabled: loadingOlder }, 'Older messages') : null,
    h('ol', { className: 'messages', 'aria-label': 'Messages', 'aria-live': 'polite' },
      ...messages.map((message) => h(MessageItem, { key: message.id, message })),
      outgoing ? h('li', { key: outgoing.clientMessageId, className: 'message user', 'data-status': 'SENDING' }, h('div', { className: 'content' }, h(Markdown, { text: outgoing.content }))) : null),
    conversation.connection === 'interrupted' ? h('p', { role: 'status', className: 'warning' }, 'Connection lost: reconnecting…') : null,
    error ? h('p', { role: 'alert', className: 'error' }, describe(error), ' ', h('button', { type: 'button', className: 'link', onClick: conversation.dismissError }, 'Dismiss')) : null,
    h(Composer, { conversation }),
    h('div', { className: 'actions' },
      h('button', { type: 'button', className: 'stop', onClick: () => void conversation.stop(), disabled: !replying || stopping }, 'Stop'),
      last?.role === 'ASSISTANT' && !replying ? h('button', { type: 'button', onClick: () => void conversation.regenerate(), disabled: conversation.regenerating }, 'Regenerate') : null),
    h('div', { ref: end }));
}

function Composer({ conversation }: { conversation: ConversationView }): ReactElement {
  const [text, setText] = useState('');
  const blocked = conversation.replying || conversation.outgoing !== null || conversation.status !== 'ready';
  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    const content = text.trim();
    if (content === '' || blocked) return;
    setText('');
    void conversation.send(content).then((turn) => turn === null && setText(content));
  };
  return h('form', { className: 'composer', onSubmit: submit },
    h('label', { htmlFor: 'message' }, 'Message'),
    h('textarea', {
      id: 'message', rows: 3, value: text, placeholder: 'Ask something (Enter sends, Shift+Enter for a new line)',
      onChange: (e: ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value),
      onKeyDown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault();
          submit();
        }
      },
    }),
    h('button', { type: 'submit', disabled: blocked || text.trim() === '' }, 'Send'));
}

function MessageItem({ message }: { message: Message }): ReactElement {
  const isReply = message.role === 'ASSISTANT';
  const failed = message.status === 'ERROR' || message.status === 'INTERRUPTED';
  return h('li', { className: `message ${isReply ? 'assistant' : 'user'}`, 'data-message-id': message.id, 'data-status': message.status },
    h('div', { className: 'meta' }, h('span', { className: 'role' }, isReply ? 'Claude' : 'You'), isReply ? h('span', { className: 'status' }, message.status) : null),
    isReply ? h(ReplyBlocks, { blocks: message.blocks }) : null,
    h('div', { className: 'content' }, message.content === '' && isReply && !failed ? h('span', { className: 'typing', 'aria-label': 'Writing' }, '…') : h(Markdown, { text: message.content })),
    failed || message.status === 'STOPPED' ? h('p', { className: failed ? 'reason failed' : 'reason' }, message.error ?? `Stopped (${message.stopReason ?? 'stop_requested'}).`) : null);
}

/** Thinking and tool calls with their results, folded above the text (which is `content`). */
function ReplyBlocks({ blocks }: { blocks: readonly Block[] }): ReactElement | null {
  const results = new Map(blocks.filter((b) => b.type === 'TOOL_RESULT').map((b) => [b.toolUseId, b]));
  const shown = blocks.filter((b) => b.type === 'THINKING' || b.type === 'TOOL_USE');
  if (shown.length === 0) return null;
  return h('div', { className: 'blocks' }, ...shown.map((block) => {
    if (block.type === 'THINKING') return h('details', { key: block.index, className: 'thinking' }, h('summary', {}, 'Thinking'), h('p', {}, block.text ?? ''));
    const result = results.get(block.toolUseId);
    return h('details', { key: block.index, className: 'tool', 'data-tool-status': block.status ?? '' },
      h('summary', {}, `Tool ${block.name ?? ''} `, h('span', {}, block.status ?? '')),
      h('pre', {}, block.input ?? ''),
      result ? h('pre', {}, result.output ?? '') : null);
  }));
}
