// One Lambda execution environment in a worker thread: loads the handler once, then runs one invocation at a time
// as the Node.js runtime interface client does. Plain JavaScript so tsx, jest and node all start it unchanged.
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * @typedef {{ errorType: string, errorMessage: string, trace: string[] }} LambdaError
 * @typedef {{ type: 'invoke', requestId: string, event: string, deadline: number }} InvokeMessage
 * @typedef {(event: unknown, context: object, callback: (error?: unknown, result?: unknown) => void) => unknown} Handler
 */

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
/** @type {{ codeDir: string, handler: string, invokedFunctionArn: string }} */
const { codeDir, handler: handlerName, invokedFunctionArn } = workerData;
/** The last invocation's id, as the runtime keeps it; "undefined" before the first (during init). @type {string | undefined} */
let requestId;
let peakMemoryMb = 0;

// The runtime's text log format: "<ISO time>\t<request id>\t<LEVEL>\t<message>".
const LEVELS = /** @type {const} */ ([['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]);
for (const [method, level] of LEVELS) {
  console[method] = (/** @type {unknown[]} */ ...args) => {
    port.postMessage({ type: 'log', level, line: `${new Date().toISOString()}\t${String(requestId)}\t${level}\t${format(...args)}` });
  };
}

/** @param {unknown} error @returns {LambdaError} the runtime's error response */
function toLambdaError(error) {
  if (types.isNativeError(error) || error instanceof Error) {
    const { name, message, stack } = /** @type {Error} */ (error);
    return { errorType: name, errorMessage: message, trace: (stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** @param {string} errorType @param {string} errorMessage */
function runtimeError(errorType, errorMessage) {
  const error = new Error(errorMessage);
  error.name = errorType;
  return error;
}

/** Lambda's /var/task has no parent folder with a package.json: only one inside the code folder says "module". */
function declaresModule(/** @type {string} */ dir) {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) return /** @type {{ type?: string }} */ (JSON.parse(readFileSync(manifest, 'utf8'))).type === 'module';
    if (current === resolve(codeDir) || current === dirname(current)) return false;
  }
}

/** CommonJS compiled directly, so a `"type": "module"` package.json above cdk.out cannot turn index.js into ESM. */
function loadCommonJs(/** @type {string} */ file) {
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  // Internal but stable since Node 0.x: the one way to compile CommonJS whatever the surrounding package scope says.
  mod._compile(readFileSync(file, 'utf8'), file);
  return /** @type {Record<string, unknown>} */ (mod.exports);
}

/** @returns {Promise<Handler>} the exported handler, as the runtime finds "<file>.<export>" */
async function loadHandler() {
  const slash = handlerName.lastIndexOf('/');
  const dot = handlerName.indexOf('.', slash + 1);
  const modulePath = handlerName.slice(0, dot);
  const exportPath = handlerName.slice(dot + 1).split('.');
  const base = resolve(codeDir, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
  if (file === undefined) throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
  let loaded;
  try {
    loaded = file.endsWith('.js') && !declaresModule(dirname(file)) ? loadCommonJs(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    // The runtime's own error types for code that cannot load (Lambda "Troubleshoot invocation issues").
    if (error instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', `SyntaxError: ${error.message}`);
    const code = /** @type {{ code?: string }} */ (error).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw runtimeError('Runtime.ImportModuleError', `Error: ${/** @type {Error} */ (error).message}`);
    throw error;
  }
  const find = (/** @type {unknown} */ root) => exportPath.reduce((value, key) => (value == null ? undefined : /** @type {Record<string, unknown>} */ (value)[key]), root);
  const handler = find(loaded) ?? find(/** @type {{ default?: unknown }} */ (loaded).default);
  if (typeof handler !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`);
  return /** @type {Handler} */ (handler);
}

/** Async handlers settle with their promise, callback-style ones with the callback: whichever comes first. */
function run(/** @type {Handler} */ handler, /** @type {InvokeMessage} */ message) {
  const env = process.env;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  return new Promise((resolveResult, reject) => {
    const callback = (/** @type {unknown} */ error, /** @type {unknown} */ result) => (error == null ? resolveResult(result) : reject(error));
    const returned = handler(JSON.parse(message.event), context, callback);
    if (typeof (/** @type {{ then?: unknown }} */ (returned))?.then === 'function') /** @type {Promise<unknown>} */ (returned).then(resolveResult, reject);
  });
}

function sampleMemory() {
  const { total_heap_size: heap, external_memory: external } = getHeapStatistics();
  peakMemoryMb = Math.max(peakMemoryMb, Math.ceil((heap + external) / 2 ** 20));
  return peakMemoryMb;
}

/** An error while no handler promise can take it ends the environment, as the runtime exits with status 129. */
function crash(/** @type {string} */ label, /** @type {LambdaError} */ error) {
  console.error(label, `\t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`);
  port.postMessage({ type: 'crash', requestId, error, memoryMb: sampleMemory() });
  process.exit(129);
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', toLambdaError(error)));
process.on('unhandledRejection', (reason) => {
  crash('Unhandled Promise Rejection', toLambdaError(runtimeError('Runtime.UnhandledPromiseRejection', String(reason))));
});

try {
  const handler = await loadHandler();
  port.on('message', (/** @type {InvokeMessage} */ message) => {
    requestId = message.requestId;
    run(handler, message).then(
      (result) => port.postMessage({ type: 'result', requestId: message.requestId, payload: JSON.stringify(result ?? null), memoryMb: sampleMemory() }),
      (/** @type {unknown} */ thrown) => {
        const error = toLambdaError(thrown);
        console.error('Invoke Error', `\t${JSON.stringify(error)}`);
        port.postMessage({ type: 'error', requestId: message.requestId, error, memoryMb: sampleMemory() });
      },
    );
  });
  port.postMessage({ type: 'ready' });
} catch (thrown) {
  const error = toLambdaError(thrown);
  console.error('Uncaught Exception', `\t${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace })}`);
  port.postMessage({ type: 'initError', error });
}
