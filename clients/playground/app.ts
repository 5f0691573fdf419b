/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The playground page's entry (bundled by esbuild for the browser): sign in, then a chat view and GraphiQL.
import 'graphiql/style.css';
import './playground.css';
import type { Root } from 'react-dom/client';
import { ChatApi, graphqlClient, RealtimeClient } from '../kit/index.ts';
import { signIn, type SignedIn } from './auth.ts';
import { ChatView } from './chat.ts';
import { CONFIG_ELEMENT_ID, type PlaygroundConfig } from './config.ts';
import { errorText, h } from './dom.ts';
import { mountGraphiQL } from './graphiql.ts';

/** The sandbox serves http and https on one port: talk to the origin this page came from (no mixed content). */
function onThisOrigin(url: string): string {
  const target = new URL(url);
  if (target.port !== location.port) return url;
  const secure = location.protocol === 'https:';
  target.protocol = target.protocol.startsWith('ws') ? (secure ? 'wss:' : 'ws:') : location.protocol;
  target.host = location.host;
  return target.toString();
}

const served = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '{}') as PlaygroundConfig;
const config: PlaygroundConfig = { ...served, graphqlUrl: onThisOrigin(served.graphqlUrl), realtimeUrl: onThisOrigin(served.realtimeUrl), cognitoEndpoint: onThisOrigin(served.cognitoEndpoint) };
const sandboxOrigin = new URL(served.graphqlUrl).origin;

/** fetch for the GraphQL client, whose fetch ChatApi's uploads reuse: the presigned POST names the sandbox's S3 on its http origin. */
const sandboxFetch: typeof fetch = (input, init) => fetch(typeof input === 'string' && input.startsWith(`${sandboxOrigin}/`) ? onThisOrigin(input) : input, init);
const main = h('main', { class: 'content' });
const who = h('span', { class: 'who' });
const tabs = h('nav', { class: 'tabs', 'aria-label': 'Views', hidden: true });
document.body.append(h('header', { class: 'top' }, h('h1', {}, 'AppSync chat playground'), tabs, who), main);

function showSignIn(message = ''): void {
  tabs.hidden = true;
  who.replaceChildren();
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, value: config.defaultEmail });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'sign-in', 'aria-label': 'Sign in' },
    h('h2', {}, 'Sign in'),
    h('p', { class: 'hint' }, 'A user of the sandbox\'s user pool. ', h('code', {}, 'npm start'), ' prints the demo user\'s password.'),
    h('label', {}, 'Email', email), h('label', {}, 'Password', password), button, error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    signIn(config, email.value.trim(), password.value).then(showApp, (failure: unknown) => {
      error.textContent = `Sign-in failed: ${errorText(failure)}`;
      button.disabled = false;
    });
  });
  main.replaceChildren(form);
  (config.defaultEmail ? password : email).focus();
}

function showApp(session: SignedIn): void {
  const api = graphqlClient({ url: config.graphqlUrl, token: () => session.accessToken(), fetch: sandboxFetch });
  const realtime = new RealtimeClient({ graphqlUrl: config.graphqlUrl, realtimeUrl: config.realtimeUrl, token: () => session.accessToken() });
  const chat = new ChatView(new ChatApi(api.request), realtime);
  const graphiqlPane = h('div', { class: 'graphiql-pane', hidden: true });
  let graphiql: Root | null = null;

  const select = (name: 'chat' | 'graphiql'): void => {
    chat.element.hidden = name !== 'chat';
    graphiqlPane.hidden = name !== 'graphiql';
    for (const tab of tabs.querySelectorAll('button')) tab.setAttribute('aria-selected', String(tab.dataset.view === name));
    if (name === 'graphiql') graphiql ??= mountGraphiQL(graphiqlPane, api, realtime);
  };
  const tab = (name: 'chat' | 'graphiql', label: string): HTMLButtonElement => h('button', { type: 'button', role: 'tab', 'data-view': name, onclick: () => select(name) }, label);
  tabs.replaceChildren(tab('chat', 'Chat'), tab('graphiql', 'GraphiQL'));
  tabs.hidden = false;
  who.replaceChildren(`Signed in as ${session.email}`, h('button', {
    type: 'button',
    class: 'link',
    onclick: () => {
      chat.dispose();
      realtime.close();
      graphiql?.unmount();
      session.signOut();
      showSignIn();
    },
  }, 'Sign out'));
  main.replaceChildren(chat.element, graphiqlPane);
  select('chat');
  void chat.load();
}

showSignIn();
