// The durable log on JetStream: one stream per log (subjects `<prefix>.log.<name>.>`, file
// storage) and one durable pull consumer per consumer name with explicit acks.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ConsumeOptions, DurableLog, LogHandler } from './durable-log.ts';
import { describeError, InvalidSubjectError, TransportClosedError, TransportError } from './errors.ts';
import { plainBytes } from './plain-bytes.ts';
import { assertSubject } from './subject.ts';
import type { TransportLogger } from './transport-logger.ts';
import type { Subscription } from './transport.ts';

const NANOS_PER_MS = 1_000_000;
/** JetStream stream and consumer names: no dots, wildcards or whitespace. */
const validName = /^[A-Za-z0-9_-]+$/;

export interface NatsDurableLogOptions {
  /** Log name: letters, digits, '_' and '-'. */
  readonly name: string;
  /** Keep entries at most this long. Default: 0 (until removed by limits; none set). */
  readonly maxAgeMs?: number;
}

interface Context {
  readonly prefix: string;
  readonly logger: TransportLogger;
  readonly isClosed: () => boolean;
}

export async function openNatsDurableLog(nc: NatsConnection, options: NatsDurableLogOptions, context: Context): Promise<DurableLog> {
  if (!validName.test(options.name)) {
    throw new InvalidSubjectError(options.name, "a durable log name may hold only letters, digits, '_' and '-'");
  }
  const stream = `${context.prefix}-log-${options.name}`;
  const subjectPrefix = `${context.prefix}.log.${options.name}.`;
  const manager = await jetstreamManager(nc).catch((error: unknown) => {
    throw new TransportError(`could not open durable log ${options.name}: JetStream is not available on the server: ${describeError(error)}`, { cause: error });
  });
  const config = {
    name: stream,
    subjects: [`${subjectPrefix}>`],
    storage: StorageType.File,
    max_age: (options.maxAgeMs ?? 0) * NANOS_PER_MS,
  };
  // Creating a stream that exists with the same settings succeeds; changed settings update it.
  try {
    await manager.streams.add(config);
  } catch {
    await manager.streams.update(stream, config).catch((error: unknown) => {
      throw new TransportError(`could not create JetStream stream ${stream} (is JetStream enabled on the server?): ${describeError(error)}`, { cause: error });
    });
  }
  const client = jetstream(nc);

  return {
    async append(subject, payload, appendOptions = {}) {
      if (context.isClosed()) throw new TransportClosedError('append to a durable log');
      assertSubject(subject);
      const ack = await client.publish(subjectPrefix + subject, payload, {
        ...(appendOptions.messageId !== undefined ? { msgID: appendOptions.messageId } : {}),
      });
      return ack.seq;
    },

    async consume(consumer: string, handler: LogHandler, consumeOptions: ConsumeOptions = {}): Promise<Subscription> {
      if (context.isClosed()) throw new TransportClosedError('consume a durable log');
      if (!validName.test(consumer)) {
        throw new InvalidSubjectError(consumer, "a consumer name may hold only letters, digits, '_' and '-'");
      }
      await manager.consumers.add(stream, {
        durable_name: consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: (consumeOptions.ackWaitMs ?? 30_000) * NANOS_PER_MS,
      });
      const messages = await (await client.consumers.get(stream, consumer)).consume({ max_messages: 64 });
      const retryDelayMs = consumeOptions.retryDelayMs ?? 1000;
      const strip = subjectPrefix.length;
      const done = (async () => {
        for await (const message of messages) {
          try {
            await handler({
              subject: message.subject.slice(strip),
              payload: plainBytes(message.data),
              sequence: message.seq,
              redelivered: message.redelivered,
            });
            message.ack();
          } catch (error) {
            context.logger.warn({ err: error, subject: message.subject, sequence: message.seq }, 'durable log handler threw; will redeliver');
            message.nak(retryDelayMs);
          }
        }
      })();
      return {
        unsubscribe: async () => {
          await messages.close();
          await done;
        },
      };
    },
  };
}
