// Levelled, readable sandbox logs: "12:03:04.512 INFO  appsync  query listMessages 12 ms".
// One writer for every part of the sandbox, so a test or `npm start` can route or silence them.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  time: Date;
  level: LogLevel;
  component: string;
  message: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger for a part of this one: `appsync` -> `appsync:realtime`. */
  child(component: string): Logger;
}

/** Formats a record as one line: time, level, component, message. */
export function formatRecord(record: LogRecord): string {
  const time = record.time.toISOString().slice(11, 23);
  return `${time} ${record.level.toUpperCase().padEnd(5)} ${record.component.padEnd(8)} ${record.message}`;
}

/** Writes lines to stderr at or above `minLevel` (LOG_LEVEL in the environment, default info). */
export function consoleSink(minLevel: LogLevel = (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info'): LogSink {
  const min = ORDER[minLevel] ?? ORDER.info;
  return (record) => {
    if (ORDER[record.level] >= min) process.stderr.write(`${formatRecord(record)}\n`);
  };
}

/** Keeps records in memory: tests read what the sandbox logged. */
export function memorySink(): LogSink & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = (record: LogRecord): void => {
    records.push(record);
  };
  return Object.assign(sink, { records });
}

export function createLogger(component: string, sink: LogSink = consoleSink()): Logger {
  const write = (level: LogLevel) => (message: string): void => sink({ time: new Date(), level, component, message });
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (name) => createLogger(`${component}:${name}`, sink),
  };
}
