// The three loggers, each writing into memory, each stamping through this
// package's integration. `entries()` parses what they wrote.
import { Writable } from 'node:stream';
import { format } from 'node:util';
import { pino } from 'pino';
import winston from 'winston';
import { createConsole } from '../src/console.ts';
import type { FieldsOptions } from '../src/fields.ts';
import { requestIdMixin } from '../src/pino.ts';
import { requestIdFormat } from '../src/winston.ts';
import type { Log } from './servers.ts';

export const loggers = ['pino', 'winston', 'console'] as const;
export type Logger = (typeof loggers)[number];

export interface Entry {
  requestId: string;
  n: number;
  msg: string;
  [key: string]: unknown;
}

export interface Sink {
  readonly log: Log;
  entries(): Entry[];
}

export function createSink(logger: Logger, options: FieldsOptions = {}): Sink {
  const lines: string[] = [];
  switch (logger) {
    case 'pino': {
      const log = pino(
        { mixin: requestIdMixin(options), base: null, timestamp: false },
        { write: (line: string) => void lines.push(line) },
      );
      return { log: (msg, n) => log.info({ n }, msg), entries: () => lines.map((line) => JSON.parse(line) as Entry) };
    }
    case 'winston': {
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      });
      const log = winston.createLogger({
        format: winston.format.combine(requestIdFormat(options), winston.format.json()),
        transports: [new winston.transports.Stream({ stream })],
      });
      return {
        log: (msg, n) => log.info(msg, { n }),
        entries: () => lines.map((line) => JSON.parse(line) as Entry & { message: string }).map((e) => ({ ...e, msg: e.message })),
      };
    }
    case 'console': {
      const write = (...args: unknown[]) => void lines.push(format(...args));
      const log = createConsole({ ...options, target: { debug: write, error: write, info: write, log: write, trace: write, warn: write } });
      return {
        log: (msg, n) => log.info('n=%d %s', n, msg),
        entries: () =>
          lines.map((line) => {
            const match = /^\[(\S+)[^\]]*\] n=(\d+) (.*)$/.exec(line);
            if (match === null) throw new Error(`unparsable console line: ${line}`);
            return { requestId: match[1] as string, n: Number(match[2]), msg: match[3] as string };
          }),
      };
    }
  }
}
